package io.dockevos.plugin.internal;

import io.dockevos.plugin.PluginException;
import io.dockevos.plugin.SourceResolver;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.ZipException;
import org.osgi.framework.Constants;
import org.osgi.framework.Version;

/** Turns a source (a path, or a file or HTTP URL) into a local jar, and checks that jar before it is installed. */
final class Sources {
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  static final Duration DOWNLOAD_TIMEOUT = Duration.ofMinutes(2);

  /** A local copy of a source; {@link #discard()} removes it when it was downloaded. */
  record Fetched(Path file, boolean temporary) {
    void discard() {
      if (temporary) {
        try {
          Files.deleteIfExists(file);
        } catch (IOException ignored) {
          // a leftover in data/plugins/downloads is removed at the next download
        }
      }
    }
  }

  /**
   * What the manifest of a valid plugin jar says: its name, its version, and the filters of the
   * features it requires ({@link io.dockevos.api.Host#FEATURE_NAMESPACE}).
   */
  record Checked(String symbolicName, Version version, java.util.List<String> featureFilters) {}

  private final Path home;
  private final Path downloads;
  private final java.util.function.Function<String, SourceResolver> resolvers;

  /**
   * @param resolvers the {@link SourceResolver} for a scheme, or {@code null}
   */
  Sources(Path home, Path downloads, java.util.function.Function<String, SourceResolver> resolvers) {
    this.home = home;
    this.downloads = downloads;
    this.resolvers = resolvers;
  }

  Fetched fetch(String source) throws PluginException {
    if (source == null || source.isBlank()) {
      throw new PluginException("No source given: name a jar file, a file:, http: or https: URL");
    }
    String s = source.trim();
    String scheme = s.matches("^[a-zA-Z][a-zA-Z0-9+.-]+:.*") ? s.substring(0, s.indexOf(':')).toLowerCase() : "";
    switch (scheme) {
      case "", "file" -> {
        Path file = scheme.isEmpty() ? home.resolve(s) : Path.of(URI.create(s));
        if (!Files.isRegularFile(file)) {
          throw new PluginException("Cannot install " + source + ": there is no file " + file.toAbsolutePath()
              + (scheme.isEmpty() ? " (a relative path is read from the dockevOS home, " + home + ")" : ""));
        }
        if (!Files.isReadable(file)) {
          throw new PluginException("Cannot install " + source + ": " + file + " is not readable");
        }
        return new Fetched(file, false);
      }
      case "http", "https" -> {
        return download(source, URI.create(s));
      }
      default -> {
        SourceResolver resolver = resolvers.apply(scheme);
        if (resolver == null) {
          throw new PluginException("Cannot install " + source + ": unknown kind of source '" + scheme
              + ":'; use a jar path, a file:, http: or https: URL" + (scheme.equals("mvn")
              ? ", or install the Maven resolver that mvn: needs" : ""));
        }
        return new Fetched(resolver.resolve(s), false);
      }
    }
  }

  private Fetched download(String source, URI uri) throws PluginException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
        .followRedirects(HttpClient.Redirect.NORMAL).build();
    Path temp = null;
    try {
      Files.createDirectories(downloads);
      temp = Files.createTempFile(downloads, "download-", ".jar");
      HttpResponse<Path> response = client.send(HttpRequest.newBuilder(uri).timeout(DOWNLOAD_TIMEOUT).GET().build(),
          HttpResponse.BodyHandlers.ofFile(temp));
      if (response.statusCode() != 200) {
        throw new PluginException("Cannot download " + uri + ": the server answered HTTP " + response.statusCode());
      }
      return new Fetched(temp, true);
    } catch (IOException e) {
      deleteQuietly(temp);
      String why = e instanceof java.net.http.HttpConnectTimeoutException ? "no answer within "
          + CONNECT_TIMEOUT.toSeconds() + " s" : e instanceof java.net.ConnectException ? "the connection was refused"
          : e.toString();
      throw new PluginException("Cannot download " + uri + ": " + why, e);
    } catch (InterruptedException e) {
      deleteQuietly(temp);
      Thread.currentThread().interrupt();
      throw new PluginException("Download of " + uri + " interrupted", e);
    } catch (PluginException e) {
      deleteQuietly(temp);
      throw e;
    }
  }

  private static void deleteQuietly(Path p) {
    if (p != null) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException ignored) {
        // nothing to do
      }
    }
  }

  /** Checks that the file is a jar with a valid OSGi bundle manifest; the message names the source. */
  static Checked check(Path file, String source) throws PluginException {
    String what = "Cannot install " + source + ": ";
    try (JarFile jar = new JarFile(file.toFile(), true)) {
      Manifest mf = jar.getManifest();
      if (mf == null) {
        throw new PluginException(what + "the jar has no META-INF/MANIFEST.MF; a plugin is an OSGi bundle");
      }
      Attributes main = mf.getMainAttributes();
      String manifestVersion = main.getValue(Constants.BUNDLE_MANIFESTVERSION);
      if (!"2".equals(manifestVersion == null ? null : manifestVersion.trim())) {
        throw new PluginException(what + "its manifest has " + (manifestVersion == null ? "no Bundle-ManifestVersion"
            : "Bundle-ManifestVersion: " + manifestVersion) + "; an OSGi R4+ bundle needs Bundle-ManifestVersion: 2");
      }
      String bsn = main.getValue(Constants.BUNDLE_SYMBOLICNAME);
      if (bsn == null || bsn.split(";")[0].isBlank()) {
        throw new PluginException(what + "its manifest has no Bundle-SymbolicName");
      }
      String v = main.getValue(Constants.BUNDLE_VERSION);
      Version version;
      try {
        version = v == null ? Version.emptyVersion : Version.parseVersion(v.trim());
      } catch (IllegalArgumentException e) {
        throw new PluginException(what + "its Bundle-Version '" + v + "' is not a version (major.minor.micro"
            + ".qualifier)");
      }
      java.util.List<String> features = new java.util.ArrayList<>();
      for (Clauses.Clause c : Clauses.parse(main.getValue(Constants.REQUIRE_CAPABILITY))) {
        if (c.names().contains(io.dockevos.api.Host.FEATURE_NAMESPACE) && c.directives().containsKey("filter")) {
          features.add(c.directives().get("filter"));
        }
      }
      return new Checked(bsn.split(";")[0].trim(), version, features);
    } catch (ZipException e) {
      throw new PluginException(what + "it is not a jar (zip) file, or it is damaged: " + e.getMessage(), e);
    } catch (IOException | SecurityException e) {
      throw new PluginException(what + "it cannot be read: " + e.getMessage(), e);
    }
  }

}
