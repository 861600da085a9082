package io.dockevos.common.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;

/**
 * Sources kept in the runtime's files so that a copied or moved home reads its own: a file inside
 * the home is stored relative to it and read back against the home the runtime runs in; to the
 * user, and in memory, it is the absolute path. Anything else (a file elsewhere, a URL, Maven
 * coordinates) is kept as it is.
 */
public final class HomePaths {
  /** The home, absolute and normalized, or null when sources are kept as they are given. */
  private final Path home;

  /** @param home the runtime's home, or null to keep every source as it is */
  public HomePaths(Path home) {
    this.home = home == null ? null : home.toAbsolutePath().normalize();
  }

  /** @return a source as it is kept in a file: a file inside the home relative to it, anything else as it is */
  public String stored(String source) {
    Path p = localPath(source);
    return p != null && p.startsWith(home) && !p.equals(home) ? home.relativize(p).toString() : source;
  }

  /** @return a source as it is used and shown: a file inside the home as its absolute path, anything else as it is */
  public String shown(String source) {
    Path p = localPath(source);
    return p != null && p.startsWith(home) ? p.toString() : source;
  }

  /** @return the file a plain path (read from the home) or a {@code file:} URL names, absolute; null for anything else */
  public Path file(String source) {
    return localPath(source);
  }

  private Path localPath(String source) {
    if (home == null || source == null || source.isBlank()) {
      return null;
    }
    try {
      if (source.startsWith("file:")) {
        URI uri = new URI(source);
        return uri.getRawAuthority() == null || uri.getRawAuthority().isEmpty() ? Path.of(uri).normalize() : null;
      }
      return source.matches("^[a-zA-Z][a-zA-Z0-9+.-]+:.*") ? null : home.resolve(source).normalize();
    } catch (URISyntaxException | RuntimeException e) {
      return null;
    }
  }
}
