package io.dockevos.plugin.internal.repo;

import aQute.bnd.osgi.repository.XMLResourceParser;
import io.dockevos.common.internal.Downloads;
import io.dockevos.plugin.PluginException;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import javax.xml.stream.XMLStreamException;
import org.osgi.resource.Resource;

/** The R5 index files a user registers with {@code repo:add}: where one is, and reading it. */
final class IndexFiles {
  private IndexFiles() {}

  /** The resources of an index file and the name it gives itself. */
  record Parsed(String name, List<Resource> resources) {}

  /** A path becomes an absolute file path; a URL stays as it is. */
  static String normalize(String location) {
    if (location.matches("^[a-zA-Z][a-zA-Z0-9+.-]+:.*") && !location.matches("^[a-zA-Z]:[\\\\/].*")) {
      return location;
    }
    return Path.of(location).toAbsolutePath().normalize().toString();
  }

  static URI uri(String location) {
    return location.matches("^[a-zA-Z][a-zA-Z0-9+.-]+:.*") && !location.matches("^[a-zA-Z]:[\\\\/].*")
        ? URI.create(location) : Path.of(location).toUri();
  }

  static long modified(String location) {
    URI uri = uri(location);
    if (!"file".equalsIgnoreCase(uri.getScheme())) {
      return -1;
    }
    try {
      return Files.getLastModifiedTime(Path.of(uri)).toMillis();
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  static String baseName(String location) {
    String s = location.replaceAll("[/\\\\]+$", "");
    s = s.substring(Math.max(s.lastIndexOf('/'), s.lastIndexOf('\\')) + 1);
    s = s.replaceFirst("\\.gz$", "").replaceFirst("\\.xml$", "");
    return s.isBlank() ? "index" : s;
  }

  /**
   * Reads an R5 index, XML plain or gzipped, from a file or a {@code file:}, {@code http:} or {@code
   * https:} URL; {@code osgi.content} URLs are resolved against the index's own URL.
   *
   * @throws PluginException naming the index and the cause, with the line when the parser gives it
   */
  static Parsed parse(String location, Downloads.Limits limits) throws PluginException {
    String what = "Cannot read the index " + location + ": ";
    URI uri;
    try {
      uri = uri(location);
    } catch (IllegalArgumentException e) {
      throw new PluginException(what + "not a path or URL: " + e.getMessage(), e);
    }
    try (InputStream raw = open(uri, limits); BufferedInputStream in = new BufferedInputStream(raw)) {
      in.mark(2);
      int b1 = in.read();
      int b2 = in.read();
      in.reset();
      InputStream xml = b1 == 0x1f && b2 == 0x8b ? new GZIPInputStream(in) : in;
      try (XMLResourceParser parser = new XMLResourceParser(xml, location, uri)) {
        List<Resource> resources = parser.parse();
        if (!parser.isOk()) {
          throw new PluginException(what + String.join("; ", parser.getErrors()));
        }
        return new Parsed(parser.name(), List.copyOf(resources));
      }
    } catch (PluginException e) {
      throw e;
    } catch (NoSuchFileException | FileNotFoundException e) {
      throw new PluginException(what + "there is no such file (" + e.getMessage() + ")", e);
    } catch (Exception e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof XMLStreamException x) {
          String m = x.getMessage() == null ? x.toString() : x.getMessage();
          int i = m.indexOf("Message: ");
          m = i >= 0 ? m.substring(i + "Message: ".length()) : m;
          String line = x.getLocation() != null && x.getLocation().getLineNumber() > 0
              ? " (line " + x.getLocation().getLineNumber() + ")" : "";
          throw new PluginException(what + "not a valid R5 index: " + m.strip() + line, e);
        }
      }
      throw new PluginException(what + (e.getMessage() == null ? e.toString() : e.getMessage()), e);
    }
  }

  /** A file is read as it is; an http(s): index is downloaded whole first, within the limits of every download. */
  private static InputStream open(URI uri, Downloads.Limits limits) throws IOException {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
    return switch (scheme) {
      case "file" -> Files.newInputStream(Path.of(uri));
      case "http", "https" -> new ByteArrayInputStream(Downloads.toBytes(uri, limits));
      default -> throw new IOException("it is neither a file nor an http: or https: URL");
    };
  }

}
