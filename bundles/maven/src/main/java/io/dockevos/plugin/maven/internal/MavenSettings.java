package io.dockevos.plugin.maven.internal;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The configuration {@code dockevos.maven}, checked: where the local repository is, the remote
 * repositories in the order they are tried, and whether remotes may be used at all.
 *
 * @param problems what is wrong with the configuration, in plain words; a resolution fails with
 *     them rather than guess
 */
record MavenSettings(Path localRepository, List<Remote> remotes, boolean offline, List<String> problems) {
  static final String PID = "dockevos.maven";
  static final String ENTRY_FORM = "id=url";
  /** As io.dockevos.common.internal.Downloads says it, which this bundle does not embed. */
  static final String NOT_SECURE = "http: is not secure: anyone on the way can read and change what the server sends";

  /** A remote repository of Maven layout. */
  record Remote(String id, String url) {
    @Override
    public String toString() {
      return id + " (" + url + ")";
    }
  }

  /**
   * @param localRepository empty for the default: the system property {@code maven.repo.local},
   *     else {@code ${user.home}/.m2/repository}; a relative path is read from {@code home}
   * @param repositories entries of comma-separated {@code id=url}
   * @param insecure the ids of the remotes that may be plain {@code http:} (entries of comma-separated ids); any
   *     other plain {@code http:} remote is a problem
   * @param properties looks up system properties ({@code maven.repo.local}, {@code user.home})
   * @param home the dockevOS home
   */
  static MavenSettings of(String localRepository, String[] repositories, String[] insecure, boolean offline,
      UnaryOperator<String> properties, Path home) {
    List<String> problems = new ArrayList<>();
    Set<String> plainHttp = new LinkedHashSet<>();
    for (String value : insecure == null ? new String[0] : insecure) {
      for (String id : value == null ? new String[0] : value.split(",")) {
        if (!id.isBlank()) {
          plainHttp.add(id.trim());
        }
      }
    }
    return new MavenSettings(local(localRepository, properties, home), remotes(repositories, plainHttp, problems),
        offline, List.copyOf(problems));
  }

  private static Path local(String configured, UnaryOperator<String> properties, Path home) {
    String path = configured == null ? "" : configured.trim();
    if (path.isEmpty()) {
      String repoLocal = properties.apply("maven.repo.local");
      if (repoLocal != null && !repoLocal.isBlank()) {
        path = repoLocal.trim();
      } else {
        return Path.of(properties.apply("user.home"), ".m2", "repository");
      }
    }
    if (path.equals("~") || path.startsWith("~/")) {
      path = properties.apply("user.home") + path.substring(1);
    }
    return home.resolve(path).normalize();
  }

  private static List<Remote> remotes(String[] configured, Set<String> plainHttp, List<String> problems) {
    List<Remote> remotes = new ArrayList<>();
    Set<String> ids = new LinkedHashSet<>();
    for (String value : configured == null ? new String[0] : configured) {
      for (String raw : value == null ? new String[0] : value.split(",")) {
        String entry = raw.trim();
        if (entry.isEmpty()) {
          continue;
        }
        int eq = entry.indexOf('=');
        String id = eq < 0 ? "" : entry.substring(0, eq).trim();
        String url = eq < 0 ? entry : entry.substring(eq + 1).trim();
        if (id.isEmpty() || url.isEmpty()) {
          problems.add("the repositories entry '" + entry + "' is not " + ENTRY_FORM
              + " (for example releases=https://maven.example.org/releases)");
          continue;
        }
        String why = checkUrl(url);
        if (why != null) {
          problems.add("the URL of repository " + id + ", '" + url + "', " + why);
          continue;
        }
        if (!ids.add(id)) {
          problems.add("the repository id " + id + " is listed twice");
          continue;
        }
        if (url.regionMatches(true, 0, "http:", 0, 5) && !plainHttp.contains(id)) {
          problems.add("the URL of repository " + id + ", '" + url + "', is http: and " + NOT_SECURE
              + "; use https:, or accept it with insecure = " + id);
          continue;
        }
        remotes.add(new Remote(id, url));
      }
    }
    return List.copyOf(remotes);
  }

  private static String checkUrl(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (java.net.URISyntaxException e) {
      return "is not a URL: " + e.getReason();
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
    switch (scheme) {
      case "http", "https" -> {
        return uri.getHost() == null ? "has no host" : null;
      }
      case "file" -> {
        return null;
      }
      default -> {
        return "is not an http:, https: or file: URL";
      }
    }
  }
}
