package io.dockevos.plugin;

import java.nio.file.Path;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Turns a plugin source of one scheme into a local file, for {@link PluginManager#install} and
 * {@link PluginManager#update}. A resolver is a service with the property {@value #SCHEME}, for
 * example {@code mvn} for {@code mvn:group/artifact/version}.
 *
 * @since 0.1
 */
@ConsumerType
public interface SourceResolver {
  /** The service property that names the scheme a resolver handles, without the colon. */
  String SCHEME = "dockevos.source.scheme";

  /**
   * @param source the whole source, scheme included
   * @return the resolved file; the plugin manager only reads it
   * @throws PluginException naming the source and the cause, for example each repository that
   *     was tried
   */
  Path resolve(String source) throws PluginException;
}
