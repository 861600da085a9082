package io.dockevos.core.internal;

import io.dockevos.common.internal.Filters;
import java.io.File;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Hashtable;
import org.apache.felix.cm.json.io.ConfigurationReader;
import org.apache.felix.cm.json.io.Configurations;
import org.apache.felix.fileinstall.ArtifactInstaller;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives {@code PID.json} and {@code FACTORY-NAME.json} files that FileInstall finds in etc/ to
 * Configuration Admin, as Karaf does (the deploy folder applies its own through {@link
 * DeployConfigs}, with {@link #read}). The file is one JSON object of properties in the
 * OSGi Configurator format, read by Felix cm.json: {@code "port:Integer": 8080} gives a typed value.
 */
@Component(configurationPolicy = ConfigurationPolicy.IGNORE, service = ArtifactInstaller.class)
public final class JsonConfigInstaller implements ArtifactInstaller {
  private static final Logger LOG = LoggerFactory.getLogger(JsonConfigInstaller.class);
  /** The property FileInstall itself uses to link a configuration to its file. */
  static final String FILENAME = "felix.fileinstall.filename";

  private final ConfigurationAdmin admin;

  @Activate
  public JsonConfigInstaller(@Reference ConfigurationAdmin admin) {
    this.admin = admin;
  }

  @Override
  public boolean canHandle(File artifact) {
    return artifact.getName().endsWith(".json") && !isFeature(artifact.toPath());
  }

  /** A feature file is not a configuration; the deploy folder gives it to the feature manager. */
  private static boolean isFeature(Path file) {
    return DeployedFeatures.isFeature(file);
  }

  @Override
  public void install(File artifact) throws Exception {
    update(artifact);
  }

  @Override
  public void update(File artifact) throws Exception {
    Hashtable<String, Object> values = read(artifact.toPath());
    String uri = artifact.toURI().toString();
    values.put(FILENAME, uri);
    Configuration config = find(uri);
    if (config == null) {
      String[] pid = pid(artifact.getName());
      config = pid[1] == null
          ? admin.getConfiguration(pid[0], "?")
          : admin.getFactoryConfiguration(pid[0], pid[1], "?");
    }
    if (config.updateIfDifferent(values)) {
      LOG.info("Configuration {} from {}", config.getPid(), artifact);
    }
  }

  @Override
  public void uninstall(File artifact) throws Exception {
    Configuration config = find(artifact.toURI().toString());
    if (config != null) {
      LOG.info("Configuration {} deleted with {}", config.getPid(), artifact);
      config.delete();
    }
  }

  private Configuration find(String uri) throws IOException, InvalidSyntaxException {
    Configuration[] found = admin.listConfigurations("(" + FILENAME + "=" + Filters.escape(uri) + ")");
    return found == null || found.length == 0 ? null : found[0];
  }


  /** {@code a.b.json} is the PID a.b; {@code a.b-name.json} the factory a.b with the name "name". */
  static String[] pid(String fileName) {
    String base = fileName.substring(0, fileName.length() - ".json".length());
    int dash = base.indexOf('-');
    return dash > 0 ? new String[] {base.substring(0, dash), base.substring(dash + 1)} : new String[] {base, null};
  }

  /** Reads the properties; the message of a failure names the line and column where it can. */
  static Hashtable<String, Object> read(Path file) throws IOException {
    ClassLoader tccl = Thread.currentThread().getContextClassLoader();
    // jakarta.json finds its provider (Parsson) through the context class loader.
    Thread.currentThread().setContextClassLoader(jakarta.json.spi.JsonProvider.class.getClassLoader());
    try (Reader reader = Configurations.jsonCommentAwareReader(Files.newBufferedReader(file, StandardCharsets.UTF_8))) {
      ConfigurationReader cr = Configurations.buildReader().withIdentifier(file.getFileName().toString()).build(reader);
      Hashtable<String, Object> values = cr.readConfiguration();
      if (!cr.getIgnoredErrors().isEmpty()) {
        throw new IOException(String.join("; ", cr.getIgnoredErrors()));
      }
      values.remove(Constants.SERVICE_PID);
      return values;
    } catch (IOException | jakarta.json.JsonException | IllegalArgumentException e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof jakarta.json.stream.JsonParsingException parse && parse.getLocation() != null) {
          String text;
          try {
            text = Files.readString(file, StandardCharsets.UTF_8);
          } catch (IOException | RuntimeException unreadable) {
            text = "";
          }
          throw new IOException("not valid JSON: " + io.dockevos.common.internal.JsonPositions.explain(text, parse), e);
        }
      }
      throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
    } finally {
      Thread.currentThread().setContextClassLoader(tccl);
    }
  }

  /** @return why the file is not a valid configuration, or null when it is */
  static String problem(Path file) {
    try {
      read(file);
      return null;
    } catch (IOException e) {
      return "is not a valid configuration: " + e.getMessage();
    }
  }

}
