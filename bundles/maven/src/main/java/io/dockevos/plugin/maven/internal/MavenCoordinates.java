package io.dockevos.plugin.maven.internal;

import io.dockevos.plugin.PluginException;
import java.util.regex.Pattern;

/**
 * Maven coordinates in the form of pax-url and Apache Karaf: {@code
 * mvn:groupId/artifactId/version[/type[/classifier]]}. The type is the file extension and defaults
 * to {@code jar}; an empty type before a classifier ({@code mvn:g/a/1.0//tests}) is {@code jar} too.
 */
record MavenCoordinates(String groupId, String artifactId, String version, String type, String classifier) {
  static final String SCHEME = "mvn";
  static final String FORM = "mvn:groupId/artifactId/version[/type[/classifier]]";
  static final String DEFAULT_TYPE = "jar";
  private static final String EXAMPLE = "mvn:org.example/hello-plugin/1.0.0";
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.\\-]+");
  private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9_.\\-+]+");

  /**
   * @param source the whole source, {@code mvn:} included
   * @throws PluginException naming the source, what is wrong with it and the expected form
   */
  static MavenCoordinates parse(String source) throws PluginException {
    String s = source == null ? "" : source.trim();
    if (!s.regionMatches(true, 0, SCHEME + ":", 0, SCHEME.length() + 1)) {
      throw malformed(source, "it does not start with mvn:");
    }
    String rest = s.substring(SCHEME.length() + 1);
    if (rest.contains("!")) {
      throw malformed(source, "a repository URL before '!' is not supported; list repositories in the "
          + "configuration dockevos.maven (etc/dockevos.maven.cfg) instead");
    }
    if (rest.contains(":") && !rest.contains("/")) {
      throw malformed(source, "the parts are separated by '/', not ':'");
    }
    String[] parts = rest.split("/", -1);
    if (parts.length < 3 || parts.length > 5) {
      throw malformed(source, "it has " + parts.length + (parts.length == 1 ? " part" : " parts")
          + " separated by '/', where 3 to 5 are expected");
    }
    String groupId = name(source, "groupId", parts[0]);
    String artifactId = name(source, "artifactId", parts[1]);
    String version = parts[2];
    if (version.isEmpty()) {
      throw malformed(source, "the version is empty");
    }
    if (version.matches(".*[\\[\\](),].*")) {
      throw malformed(source, "'" + version + "' is a version range; name one version");
    }
    if (!VERSION.matcher(version).matches()) {
      throw malformed(source, "'" + version + "' is not a version (letters, digits, '.', '-', '_', '+')");
    }
    String type = parts.length > 3 && !parts[3].isEmpty() ? name(source, "type", parts[3]) : DEFAULT_TYPE;
    String classifier = parts.length > 4 ? name(source, "classifier", parts[4]) : "";
    if (parts.length == 4 && parts[3].isEmpty()) {
      throw malformed(source, "the type is empty");
    }
    return new MavenCoordinates(groupId, artifactId, version, type, classifier);
  }

  private static String name(String source, String what, String value) throws PluginException {
    if (value.isEmpty()) {
      throw malformed(source, "the " + what + " is empty");
    }
    if (!NAME.matcher(value).matches()) {
      throw malformed(source, "'" + value + "' is not a valid " + what + " (letters, digits, '.', '-', '_')");
    }
    return value;
  }

  private static PluginException malformed(String source, String why) {
    return new PluginException("Cannot resolve " + source + ": these are not Maven coordinates, " + why
        + ". Expected " + FORM + " (type defaults to " + DEFAULT_TYPE + "), for example " + EXAMPLE);
  }

  /** @return the coordinates as Maven prints them: {@code groupId:artifactId:type[:classifier]:version} */
  String gav() {
    return groupId + ":" + artifactId + ":" + type + (classifier.isEmpty() ? "" : ":" + classifier) + ":" + version;
  }

  /** @return the shortest {@code mvn:} form of these coordinates */
  @Override
  public String toString() {
    String s = SCHEME + ":" + groupId + "/" + artifactId + "/" + version;
    if (!classifier.isEmpty()) {
      return s + "/" + type + "/" + classifier;
    }
    return type.equals(DEFAULT_TYPE) ? s : s + "/" + type;
  }
}
