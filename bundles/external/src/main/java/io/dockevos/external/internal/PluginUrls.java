package io.dockevos.external.internal;

import io.dockevos.common.internal.Downloads;
import io.dockevos.common.internal.VouchedDownloads;
import io.dockevos.external.ExternalPlugin;
import io.dockevos.external.ExternalPluginException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code external:install URL}: an external plugin's {@code .zip} or {@code .tar.gz} at an {@code
 * http(s):} URL, downloaded by {@link VouchedDownloads} (the download {@code plugin:install URL}
 * makes: its SHA-256 known from {@code --sha256} or the URL's {@code #sha256=HEX}, plain {@code
 * http:} only with {@code --insecure}, the limits of {@link Downloads}), or at a {@code file:} URL.
 * Every error names the URL; nothing is installed then.
 */
final class PluginUrls {
  /** What is done with the local file or folder. */
  @FunctionalInterface
  interface Install {
    ExternalPlugin apply(Path source) throws ExternalPluginException;
  }

  private PluginUrls() {}

  /**
   * The words of {@code external:install} and {@code external:update}: the sources, and the SHA-256
   * that {@code --sha256=HEX} gives (Gogo knows {@code --sha256 HEX} only, and leaves the other form among the words).
   */
  record Named(String sha256, List<String> sources) {}

  static Named named(String command, String sha256, String... words) {
    String sha = sha256 == null || sha256.isEmpty() ? null : sha256;
    List<String> sources = new java.util.ArrayList<>();
    for (String w : words) {
      if (w.startsWith("--sha256=") && sha == null) {
        sha = w.substring("--sha256=".length());
      } else if (w.startsWith("--")) {
        throw new IllegalArgumentException(command + ": " + w + " is no option of it (or is given twice); " + command
            + " --help shows what it takes");
      } else {
        sources.add(w);
      }
    }
    return new Named(sha, sources);
  }

  /** @return whether {@code source} is a URL this class takes rather than a path */
  static boolean isUrl(String source) {
    return source.matches("(?i)^(https?|file):.*");
  }

  /**
   * @param downloads the folder a download goes to (and is deleted from once installed or refused)
   * @param sha256 the SHA-256 the download must have, or {@code null}
   */
  static ExternalPlugin install(String url, String sha256, boolean insecure, Path downloads, Downloads.Limits limits,
      Install install) throws ExternalPluginException {
    String what = "Cannot install " + url + ": ";
    if (url.regionMatches(true, 0, "file:", 0, 5)) {
      Path local;
      try {
        local = Path.of(new URI(url));
      } catch (java.net.URISyntaxException | IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
        throw new ExternalPluginException(what + "it is not a valid file: URL (file:///PATH): " + e.getMessage());
      }
      return install.apply(local);
    }
    Path file;
    try {
      file = VouchedDownloads.download(url, new VouchedDownloads.Vouch(sha256, insecure), null, downloads, limits, "");
    } catch (VouchedDownloads.Refused e) {
      throw new ExternalPluginException(what + e.getMessage());
    }
    try {
      if (!PluginArchives.isArchive(file)) {
        throw new ExternalPluginException(what + "the download is not a .zip or .tar.gz; an external plugin is an"
            + " archive with a plugin.yaml at its top");
      }
      try {
        return install.apply(file);
      } catch (ExternalPluginException e) {
        throw new ExternalPluginException(VouchedDownloads.aboutUrl(e.getMessage(), file, url));
      }
    } finally {
      try {
        Files.deleteIfExists(file);
      } catch (IOException ignored) {
        // a leftover in the downloads folder; it holds nothing that runs
      }
    }
  }
}
