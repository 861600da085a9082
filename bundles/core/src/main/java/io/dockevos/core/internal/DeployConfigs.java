package io.dockevos.core.internal;

import io.dockevos.common.internal.Filters;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.Hashtable;
import java.util.Properties;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.felix.cm.file.ConfigurationHandler;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configuration files of the deploy folder, given to Configuration Admin as FileInstall gave
 * them: {@code PID.cfg} (properties, ISO-8859-1, {@code ${name}} replaced with a framework or system
 * property), {@code PID.config} (the typed format of Felix Configuration Admin, read with its own
 * {@link ConfigurationHandler}) and {@code PID.json} ({@link JsonConfigInstaller}). {@code
 * FACTORY-NAME.ext} is the factory configuration {@code FACTORY~NAME}. Each configuration carries
 * its file's URI in {@value JsonConfigInstaller#FILENAME}, FileInstall's own property, so that a later
 * edit or delete finds it, and so that the components that name a configuration's file keep working.
 */
final class DeployConfigs {
  private static final Logger LOG = LoggerFactory.getLogger(DeployFolder.class);
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([^${}]+)\\}");

  private final ConfigurationAdmin admin;
  private final Path deploy;
  private final DeployLocations locations;
  private final UnaryOperator<String> properties;

  /** @param properties a framework (or system) property by name, or null */
  DeployConfigs(ConfigurationAdmin admin, Path deploy, UnaryOperator<String> properties) {
    this.admin = admin;
    this.deploy = deploy;
    this.locations = new DeployLocations(deploy);
    this.properties = properties;
  }

  static boolean isConfig(String name) {
    return name.endsWith(".cfg") || name.endsWith(".config") || name.endsWith(".json");
  }

  /** @return the properties of a configuration file; the message names the line where it can */
  Hashtable<String, Object> read(Path file) throws IOException {
    String name = file.getFileName().toString();
    if (name.endsWith(".json")) {
      return JsonConfigInstaller.read(file);
    }
    Hashtable<String, Object> values = new Hashtable<>();
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
      if (name.endsWith(".config")) {
        Dictionary<String, Object> d = ConfigurationHandler.read(in);
        for (Enumeration<String> keys = d.keys(); keys.hasMoreElements();) {
          String k = keys.nextElement();
          values.put(k, d.get(k));
        }
      } else {
        Properties p = new Properties();
        in.mark(1);
        boolean xml = in.read() == '<';
        in.reset();
        if (xml) {
          p.loadFromXML(in);
        } else {
          byte[] bytes = in.readAllBytes();
          binary(bytes);
          try {
            p.load(new InputStreamReader(new java.io.ByteArrayInputStream(bytes), StandardCharsets.ISO_8859_1));
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + badEscape(new String(bytes, StandardCharsets.ISO_8859_1)),
                e);
          }
        }
        for (String k : p.stringPropertyNames()) {
          values.put(k, substitute(p.getProperty(k), p, 0));
        }
      }
    } catch (NumberFormatException e) {
      // A typed value of a .config file (I"abc"): the JDK says only 'For input string: "abc"'.
      throw new IOException("a value is not a number of the type its letter gives (I Integer, L Long, F Float,"
          + " D Double, X Byte, S Short): " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new IOException(e.getMessage(), e);
    }
    values.remove(Constants.SERVICE_PID);
    values.remove(ConfigurationAdmin.SERVICE_FACTORYPID);
    return values;
  }

  /** A {@code \\u} that four hex digits do not follow, which is what Properties refuses without a line. */
  private static final java.util.regex.Pattern BAD_ESCAPE = java.util.regex.Pattern.compile(
      "(?<!\\\\)(?:\\\\\\\\)*\\\\u(?![0-9a-fA-F]{4})");

  /** @return {@code " (line 3: \\u12 is not followed by four hex digits)"}, or "" when no line has one */
  static String badEscape(String text) {
    String[] lines = text.split("\\R", -1);
    for (int i = 0; i < lines.length; i++) {
      java.util.regex.Matcher m = BAD_ESCAPE.matcher(lines[i]);
      if (m.find()) {
        String rest = lines[i].substring(m.end() - 2, Math.min(lines[i].length(), m.end() + 4));
        return " (line " + (i + 1) + ": " + rest + " is not \\u and four hex digits; write \\\\u for a backslash and a u)";
      }
    }
    return "";
  }

  /**
   * Refuses a properties file that holds bytes no text has (a control character other than tab,
   * line ends and form feed): {@code Properties} would take any junk as keys and values.
   */
  static void binary(byte[] bytes) throws IOException {
    int line = 1;
    for (int i = 0; i < bytes.length; i++) {
      int b = bytes[i] & 0xff;
      if (b == '\n') {
        line++;
      } else if (b < 0x20 && b != '\t' && b != '\r' && b != '\f' || b == 0x7f) {
        throw new IOException(String.format("it is not text: line %d holds the byte 0x%02x (a .cfg file is text,"
            + " one KEY = VALUE a line)", line, b));
      }
    }
  }

  /** {@code ${name}}: another key of the file, a framework or system property, or {@code env:NAME}; empty when none. */
  private String substitute(String value, Properties own, int depth) {
    if (depth > 8 || value.indexOf("${") < 0) {
      return value;
    }
    Matcher m = VARIABLE.matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String key = m.group(1);
      String v = key.startsWith("env:") ? System.getenv(key.substring(4))
          : own.getProperty(key) != null ? own.getProperty(key) : properties.apply(key);
      m.appendReplacement(out, Matcher.quoteReplacement(v == null ? "" : substitute(v, own, depth + 1)));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** Creates or updates the configuration of a file. */
  void apply(String name, Path file) throws IOException {
    Hashtable<String, Object> values = read(file);
    String uri = locations.uri(name);
    values.put(JsonConfigInstaller.FILENAME, uri);
    Configuration config = find(uri);
    if (config == null) {
      String[] pid = JsonConfigInstaller.pid(name.substring(0, name.lastIndexOf('.')) + ".json");
      config = pid[1] == null ? admin.getConfiguration(pid[0], "?") : admin.getFactoryConfiguration(pid[0], pid[1], "?");
    }
    if (config.updateIfDifferent(values)) {
      LOG.info("Configuration {} from deploy/{}", config.getPid(), name);
    }
  }

  /** Deletes the configuration of a file that left the folder. */
  void delete(String name) {
    try {
      Configuration config = find(locations.uri(name));
      if (config != null) {
        String pid = config.getPid(); // a deleted configuration no longer tells
        config.delete();
        LOG.info("deploy/{} was removed; configuration {} is deleted", name, pid);
      }
    } catch (IOException | IllegalStateException e) {
      LOG.error("deploy/{} was removed, but its configuration cannot be deleted: {}", name, e.toString());
    }
  }

  /**
   * At start: deletes the configurations whose deploy file went away while the runtime was down,
   * and those FileInstall made from the staging copies of older versions (the files present are
   * applied again, under their own URI).
   */
  void retainPresent(Set<String> present) {
    Configuration[] all;
    try {
      all = admin.listConfigurations("(" + JsonConfigInstaller.FILENAME + "=*)");
    } catch (IOException | InvalidSyntaxException e) {
      LOG.warn("Cannot list the configurations of deploy/: {}", e.toString());
      return;
    }
    for (Configuration c : all == null ? new Configuration[0] : all) {
      Dictionary<String, Object> p = c.getProperties();
      Path file = p == null ? null : DeployLocations.path(String.valueOf(p.get(JsonConfigInstaller.FILENAME)));
      if (file == null || file.getParent() == null) {
        continue;
      }
      boolean ours = deploy.equals(file.getParent()) && !present.contains(file.getFileName().toString());
      boolean staged = file.getParent().getFileName() != null
          && file.getParent().getFileName().toString().equals("deploy-staging")
          && !present.contains(file.getFileName().toString());
      if (ours || staged) {
        String pid = c.getPid(); // a deleted configuration no longer tells
        try {
          c.delete();
          LOG.info("deploy/{} was removed while the runtime was down; configuration {} is deleted",
              file.getFileName(), pid);
        } catch (IOException | IllegalStateException e) {
          LOG.warn("Cannot delete configuration {}: {}", pid, e.toString());
        }
      }
    }
  }

  private Configuration find(String uri) throws IOException {
    try {
      Configuration[] found = admin.listConfigurations("(" + JsonConfigInstaller.FILENAME + "=" + Filters.escape(uri) + ")");
      return found == null || found.length == 0 ? null : found[0];
    } catch (InvalidSyntaxException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

}
