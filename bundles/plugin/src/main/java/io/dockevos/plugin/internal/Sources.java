package io.dockevos.plugin.internal;

import io.dockevos.common.internal.Downloads;
import io.dockevos.common.internal.SymbolicNames;
import io.dockevos.common.internal.VouchedDownloads;
import io.dockevos.plugin.PluginException;
import io.dockevos.plugin.SourceResolver;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.ZipException;
import org.osgi.framework.Constants;
import org.osgi.framework.Version;

/**
 * Turns a source (a path, or a file or HTTP URL) into a local jar, and checks that jar before it is
 * installed. Where a download may come from is decided here: a plain {@code http:} URL only when the
 * user says {@code --insecure}; an {@code http(s):} URL only when its SHA-256 is known, from the user
 * ({@code --sha256}, or the URL's fragment {@code #sha256=HEX}, which a program that calls the
 * {@code Installer} writes) or from a registered index that offers it, and the download must match it.
 */
final class Sources {
  /**
   * What the user vouches for about a source a command names: the SHA-256 it must have, and whether
   * it may come over plain {@code http:}.
   *
   * @param sha256 the expected SHA-256 in hex (either case), or {@code null}
   */
  record Vouch(String sha256, boolean insecure) {
    static final Vouch NONE = new Vouch(null, false);
  }

  /**
   * What a registered repository says of a URL it offers.
   *
   * @param repository its name, for messages
   * @param sha256 the SHA-256 it gives, or {@code null}
   * @param insecure whether the user registered it with {@code --insecure}, so that its plain {@code http:} URLs are taken
   */
  record Offered(String repository, String sha256, boolean insecure) {}

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
  /** What {@link #check} found: the bundle's name and version, the features it requires, and the manifest it read. */
  record Checked(String symbolicName, Version version, java.util.List<String> featureFilters, Manifest manifest) {}

  /** What the commands running on this thread vouch for, by the source as the command named it. */
  private final ThreadLocal<Map<String, Vouch>> vouched = new ThreadLocal<>();
  private final Path home;
  private final Path downloads;
  private final java.util.function.Function<String, SourceResolver> resolvers;
  private final java.util.function.Function<String, Offered> offered;
  private final Supplier<Downloads.Limits> limits;

  /**
   * @param resolvers the {@link SourceResolver} for a scheme, or {@code null}
   * @param offered what a registered repository says of a URL, or {@code null} when none offers it
   * @param limits the limits of a download
   */
  Sources(Path home, Path downloads, java.util.function.Function<String, SourceResolver> resolvers,
      java.util.function.Function<String, Offered> offered, Supplier<Downloads.Limits> limits) {
    this.home = home;
    this.downloads = downloads;
    this.resolvers = resolvers;
    this.offered = offered;
    this.limits = limits;
  }

  /** @return what the registered index that offers {@code url} says of it, or {@code null} when none does */
  static Offered offeredBy(io.dockevos.plugin.internal.plan.Catalog catalog, String url) {
    return catalog instanceof io.dockevos.plugin.internal.repo.RepositoryIndex index ? index.offered(url)
        .map(o -> new Offered("'" + o.index() + "'", o.sha256(), o.insecure())).orElse(null) : null;
  }

  /** Undoes a {@link #vouch}. */
  interface Scope extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Until the scope is closed, the sources named here are fetched on this thread with what the user
   * vouches for them ({@code plugin:install --sha256=HEX --insecure}); sources a plan takes from the
   * repositories are not.
   */
  Scope vouch(Map<String, Vouch> vouches) {
    Map<String, Vouch> before = vouched.get();
    Map<String, Vouch> now = new HashMap<>(before == null ? Map.of() : before);
    now.putAll(vouches);
    vouched.set(now);
    return () -> {
      if (before == null) {
        vouched.remove();
      } else {
        vouched.set(before);
      }
    };
  }

  /** The sources fetched already by the commands running on this thread: a later fetch takes the same file. */
  private final ThreadLocal<Map<String, Path>> prefetched = new ThreadLocal<>();

  /**
   * Until the scope is closed, {@link #fetch} of {@code source} on this thread gives {@code file}
   * (not temporary: the caller that fetched it discards it), without a second download: {@code
   * plugin:install URL} looks into a download to tell an external plugin's archive from a bundle
   * plugin's, and hands a bundle plugin's on to the install pipeline.
   */
  Scope prefetched(String source, Path file) {
    Map<String, Path> before = prefetched.get();
    Map<String, Path> now = new HashMap<>(before == null ? Map.of() : before);
    now.put(source, file);
    prefetched.set(now);
    return () -> {
      if (before == null) {
        prefetched.remove();
      } else {
        prefetched.set(before);
      }
    };
  }

  private Vouch vouchFor(String source) {
    Map<String, Vouch> v = vouched.get();
    return v == null ? Vouch.NONE : v.getOrDefault(source, Vouch.NONE);
  }

  Fetched fetch(String source) throws PluginException {
    if (source == null || source.isBlank()) {
      throw new PluginException("No source given: name a jar file, a file:, http: or https: URL");
    }
    Map<String, Path> ready = prefetched.get();
    if (ready != null && ready.containsKey(source)) {
      return new Fetched(ready.get(source), false);
    }
    String s = source.trim();
    String scheme = s.matches("^[a-zA-Z][a-zA-Z0-9+.-]+:.*") ? s.substring(0, s.indexOf(':')).toLowerCase() : "";
    String what = "Cannot install " + source + ": ";
    Vouch vouch = vouchFor(source);
    Fetched fetched = switch (scheme) {
      case "", "file" -> new Fetched(localFile(source, s, scheme.isEmpty()), false);
      case "http", "https" -> download(source, s, vouch);
      default -> {
        SourceResolver resolver = resolvers.apply(scheme);
        if (resolver == null) {
          throw new PluginException(what + "unknown kind of source '" + scheme
              + ":'; use a jar path, a file:, http: or https: URL" + (scheme.equals("mvn")
              ? ", or install the Maven resolver that mvn: needs" : ""));
        }
        yield new Fetched(resolver.resolve(s), false);
      }
    };
    if (vouch.sha256() != null && !scheme.startsWith("http")) {
      // The user gave a digest for a file or mvn: source too: it is checked all the same.
      try {
        expect(what, fetched.file(), Downloads.sha256(fetched.file()), vouch.sha256(), "--sha256 says");
      } catch (IOException e) {
        throw new PluginException(what + fetched.file() + " cannot be read: " + e.getMessage(), e);
      }
    }
    return fetched;
  }

  /** A path (from the home) or a {@code file:} URL: it must be a regular, readable file, and the error says what else it is. */
  private Path localFile(String source, String s, boolean path) throws PluginException {
    String what = "Cannot install " + source + ": ";
    Path file;
    if (path) {
      try {
        file = home.resolve(s);
      } catch (java.nio.file.InvalidPathException e) {
        throw new PluginException(what + "it is not a file path: " + e.getMessage(), e);
      }
    } else {
      URI uri;
      try {
        uri = new URI(s);
      } catch (java.net.URISyntaxException e) {
        throw new PluginException(what + "it is not a valid file: URL: " + e.getMessage(), e);
      }
      if (uri.getRawAuthority() != null && !uri.getRawAuthority().isEmpty()) {
        throw new PluginException(what + "a file: URL names a file on this machine and takes no host ('"
            + uri.getRawAuthority() + "'); write file:///PATH, for example file://" + (uri.getRawPath() == null
            || uri.getRawPath().isEmpty() ? "/x.jar" : uri.getRawPath()) + ", or the path itself");
      }
      try {
        file = Path.of(uri);
      } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
        throw new PluginException(what + "it is not a valid file: URL (file:///PATH): " + e.getMessage(), e);
      }
    }
    if (!Files.exists(file)) {
      throw new PluginException(what + "there is no file " + file.toAbsolutePath()
          + (path && !Path.of(s).isAbsolute() ? " (a relative path is read from the dockevOS home, " + home + ")" : ""));
    }
    if (!Files.isRegularFile(file)) {
      throw new PluginException(what + file.toAbsolutePath() + " is " + kind(file) + ", not a regular file");
    }
    if (!Files.isReadable(file)) {
      throw new PluginException(what + file + " is not readable");
    }
    return file;
  }

  /** @return what a file that is not a regular file is, in words: a directory, a character device, ... */
  static String kind(Path file) {
    return io.dockevos.common.internal.FileKinds.kind(file);
  }

  /** A URL: refused unless it is vouched for or a registered repository offers it; checked against the SHA-256 known. */
  private Fetched download(String source, String s, Vouch vouch) throws PluginException {
    try {
      return new Fetched(VouchedDownloads.download(s, new VouchedDownloads.Vouch(vouch.sha256(), vouch.insecure()),
          url -> {
            Offered o = offered.apply(url);
            return o == null ? null : new VouchedDownloads.Offer(o.repository(), o.sha256(), o.insecure());
          }, downloads, limits.get(), ", or register a repository that offers it (repo:add INDEX; mvn: coordinates"
              + " come from the Maven repositories you configure)"), true);
    } catch (VouchedDownloads.Refused e) {
      throw new PluginException("Cannot install " + source + ": " + e.getMessage(), e);
    }
  }

  /** Refuses a file whose SHA-256 is not the one expected, and deletes it when it was downloaded. */
  private void expect(String what, Path file, String actual, String expected, String who) throws PluginException {
    try {
      VouchedDownloads.expect(file, actual, expected, who, file.startsWith(downloads));
    } catch (VouchedDownloads.Refused e) {
      throw new PluginException(what + e.getMessage(), e);
    }
  }

  /** @return whether {@code hex} is a SHA-256 in hex: 64 of 0-9, a-f, A-F */
  static boolean isSha256(String hex) {
    return VouchedDownloads.isSha256(hex);
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
      String problem = SymbolicNames.problem(SymbolicNames.of(bsn));
      if (problem != null) {
        throw new PluginException(what + "its manifest's " + problem);
      }
      String v = main.getValue(Constants.BUNDLE_VERSION);
      Version version;
      try {
        version = v == null ? Version.emptyVersion : Version.parseVersion(v.trim());
      } catch (IllegalArgumentException e) {
        throw new PluginException(what + "its Bundle-Version '" + v + "' is not a version (major.minor.micro"
            + ".qualifier)");
      }
      for (String header : java.util.List.of(Constants.IMPORT_PACKAGE, Constants.DYNAMICIMPORT_PACKAGE,
          Constants.EXPORT_PACKAGE, Constants.REQUIRE_BUNDLE, Constants.FRAGMENT_HOST, Constants.REQUIRE_CAPABILITY,
          Constants.PROVIDE_CAPABILITY)) {
        String malformed = Clauses.problem(header, main.getValue(header));
        if (malformed != null) {
          throw new PluginException(what + malformed);
        }
      }
      java.util.List<String> features = new java.util.ArrayList<>();
      for (Clauses.Clause c : Clauses.parse(main.getValue(Constants.REQUIRE_CAPABILITY))) {
        if (c.names().contains(io.dockevos.api.Host.FEATURE_NAMESPACE) && c.directives().containsKey("filter")) {
          features.add(c.directives().get("filter"));
        }
      }
      return new Checked(bsn.split(";")[0].trim(), version, features, mf);
    } catch (ZipException e) {
      throw new PluginException(what + "it is not a jar (zip) file, or it is damaged: " + e.getMessage(), e);
    } catch (IOException | SecurityException e) {
      throw new PluginException(what + "it cannot be read: " + e.getMessage(), e);
    }
  }

}
