package io.dockevos.plugin.maven.internal;

import io.dockevos.api.Host;
import io.dockevos.plugin.PluginException;
import io.dockevos.plugin.SourceResolver;
import java.nio.file.Path;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code mvn:} plugin source: {@code plugin:install mvn:groupId/artifactId/version} resolves the
 * artifact from the local Maven repository, else from the configured remote repositories, which
 * cache it in the local one.
 *
 * <p>A delayed component, and Maven Resolver is set up only at the first {@code mvn:} source: the
 * plugin manager binds this service while the runtime boots, and the boot must not pay for a
 * resolver that most runs never use.
 */
@Component(service = SourceResolver.class, immediate = false, configurationPid = MavenSettings.PID,
    property = SourceResolver.SCHEME + "=" + MavenCoordinates.SCHEME)
@Designate(ocd = MavenSourceResolver.Config.class)
public final class MavenSourceResolver implements SourceResolver, MavenDependencyVersions.Maven {
  private static final Logger LOG = LoggerFactory.getLogger(MavenSourceResolver.class);

  @ObjectClassDefinition(name = "dockevOS Maven resolver",
      description = "Where plugin:install and plugin:update look for mvn:groupId/artifactId/version[/type[/classifier]]")
  public @interface Config {
    @AttributeDefinition(name = "Local repository", required = false,
        description = "Looked in first; what is downloaded is kept here. Empty: the system property maven.repo.local, "
            + "else ${user.home}/.m2/repository. A relative path is read from the dockevOS home")
    String localRepository() default "";

    @AttributeDefinition(name = "Remote repositories", required = false,
        description = "Tried in this order when the local repository does not have the artifact: comma-separated "
            + "id=url entries, for example releases=https://maven.example.org/releases. None by default")
    String[] repositories() default {};

    @AttributeDefinition(name = "Offline", description = "true: never contact a remote repository")
    boolean offline() default false;

    @AttributeDefinition(name = "Insecure repositories", required = false,
        description = "The ids of the remote repositories that may be plain http: (anyone on the way can read and "
            + "change what they send), comma-separated. A plain http: repository not listed here is refused")
    String[] insecure() default {};
  }

  private final Path home;
  private volatile MavenSettings settings;
  /** Created at the first resolution; guarded by {@code this}. */
  private MavenArtifactResolver resolver;
  private boolean closed;

  @Activate
  public MavenSourceResolver(BundleContext context, Config config) {
    String h = context.getProperty(Host.HOME_PROPERTY);
    this.home = Path.of(h == null ? "." : h).toAbsolutePath();
    configure(config);
  }

  @Modified
  void configure(Config config) {
    MavenSettings s = MavenSettings.of(config.localRepository(), config.repositories(), config.insecure(),
        config.offline(), System::getProperty, home);
    if (!s.problems().isEmpty()) {
      LOG.warn("The configuration {} is not valid, mvn: sources fail until it is fixed: {}", MavenSettings.PID,
          String.join("; ", s.problems()));
    }
    settings = s;
  }

  @Deactivate
  synchronized void close() {
    closed = true;
    if (resolver != null) {
      resolver.close();
      resolver = null;
    }
  }

  @Override
  public Path resolve(String source) throws PluginException {
    MavenCoordinates coordinates = MavenCoordinates.parse(source);
    return resolver().resolve(source, coordinates, settings);
  }

  @Override
  public MavenSettings settings() {
    return settings;
  }

  @Override
  public synchronized MavenArtifactResolver resolver() throws PluginException {
    if (closed) {
      throw new PluginException("The Maven resolver is stopping");
    }
    if (resolver == null) {
      resolver = new MavenArtifactResolver();
    }
    return resolver;
  }
}
