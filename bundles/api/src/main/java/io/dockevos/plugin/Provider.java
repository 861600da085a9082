package io.dockevos.plugin;

/**
 * A bundle that is not installed but would satisfy a requirement, and how to install it.
 *
 * @param kind where it is
 * @param symbolicName the bundle's symbolic name
 * @param version the bundle's version
 * @param location where it is, for a person: {@code system/<path>}, the feature's name, or the
 *     jar's path in the local Maven repository
 * @param source what to install: for {@link Kind#SYSTEM} the jar's path and for {@link Kind#MAVEN}
 *     its {@code mvn:} coordinates, both for {@link PluginManager#install}; for {@link Kind#FEATURE}
 *     the feature's name, for {@code FeatureManager.install}
 * @since 0.1
 */
public record Provider(Kind kind, String symbolicName, String version, String location, String source) {
  /** Where a provider is. */
  public enum Kind {
    /** A jar in {@code system/} that no feature names. */
    SYSTEM,
    /** A feature of {@code system/features/} that names the jar. */
    FEATURE,
    /** A jar in the local Maven repository. */
    MAVEN,
    /** A bundle of an R5 index registered with {@code repo:add}. */
    INDEX
  }

  /** @return where it is and the command that installs it, as a line a user can act on */
  public String describe() {
    return switch (kind) {
      case SYSTEM -> location + " (" + command() + ")";
      case FEATURE -> "feature " + source + " (" + command() + ")";
      case MAVEN -> "the local Maven repository: " + location + " (" + command() + ")";
      case INDEX -> "the index " + location + " (" + command() + ")";
    };
  }

  /** @return the command that installs it, for example {@code plugin:install mvn:org.example/api/1.0.0} */
  public String command() {
    return (kind == Kind.FEATURE ? "feature:install " : "plugin:install ") + source;
  }
}
