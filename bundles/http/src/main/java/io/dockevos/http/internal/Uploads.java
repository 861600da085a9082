package io.dockevos.http.internal;

import io.dockevos.common.internal.SafePaths;
import io.dockevos.http.internal.ApiServlet.Refusal;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.fileupload.MultipartStream;
import org.apache.commons.fileupload.ParameterParser;

/**
 * Plugin jars uploaded as {@code multipart/form-data} ({@code POST /api/v1/plugins}, as {@code curl
 * -F file=@x.jar} sends one): each is kept in {@code data/http/uploads} under its own file name,
 * which must be a plain name ending in {@code .jar} (a name with a path, such as {@code ../../x.jar},
 * is refused with 400; a name taken by an earlier upload gets {@code -2}, {@code -3}...), and at most
 * {@value #MAX_UPLOAD} bytes (413 beyond); then the install pipeline installs it from there. The
 * body is read as it streams in (Commons FileUpload's {@link MultipartStream}), at the pace that
 * {@link BodyInput} asks, so a client that trickles an upload is cut off too.
 */
final class Uploads {
  /** The largest jar taken, in bytes (64 MiB). */
  static final long MAX_UPLOAD = 64L << 20;
  /** The largest multipart request taken, in bytes: the jar and a little more. */
  static final long MAX_REQUEST = MAX_UPLOAD + (64 << 10);
  private final Path dir;

  Uploads(Path dir) {
    this.dir = dir;
  }

  static boolean isMultipart(HttpServletRequest req) {
    String type = req.getContentType();
    return type != null && type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data");
  }

  /** @return the uploaded jar, saved */
  Path save(HttpServletRequest req) throws IOException {
    if (req.getContentLengthLong() > MAX_REQUEST) {
      throw tooLarge(req.getContentLengthLong() + " bytes");
    }
    ParameterParser params = new ParameterParser();
    params.setLowerCaseNames(true);
    String boundary = params.parse(req.getContentType(), new char[] {';', ','}).get("boundary");
    if (boundary == null || boundary.isEmpty()) {
      throw new Refusal(400, "Bad Request", "The upload's Content-Type names no boundary: send it as"
          + " multipart/form-data (curl -F file=@plugin.jar)");
    }
    BodyInput in = new BodyInput(req.getInputStream(), MAX_REQUEST, "The upload is over the limit: a plugin jar may"
        + " have at most " + MAX_UPLOAD + " bytes");
    Files.createDirectories(dir);
    Path temp = Files.createTempFile(dir, ".upload-", ".tmp");
    try {
      String name = null;
      Refusal refused = null;
      try {
        MultipartStream parts = new MultipartStream(in, boundary.getBytes(StandardCharsets.ISO_8859_1), 8192, null);
        parts.setHeaderEncoding("UTF-8");
        for (boolean more = parts.skipPreamble(); more; more = parts.readBoundary()) {
          String file = fileName(params, parts.readHeaders());
          if (file == null || refused != null) {
            parts.discardBodyData();
          } else if (name != null) {
            refused = new Refusal(400, "Bad Request", "The upload holds more than one file (" + name + ", " + file
                + "): send one jar per request");
            parts.discardBodyData();
          } else {
            name = file;
            refused = check(name);
            if (refused != null) {
              parts.discardBodyData(); // read to its end, so that the client hears why
            } else {
              try (OutputStream out = Files.newOutputStream(temp)) {
                parts.readBodyData(out);
              }
            }
          }
        }
      } catch (MultipartStream.MalformedStreamException e) {
        throw new Refusal(400, "Bad Request", "The upload is not multipart/form-data as it says: " + e.getMessage());
      } catch (org.apache.commons.fileupload.FileUploadBase.FileUploadIOException e) {
        throw new Refusal(400, "Bad Request", "The upload cannot be read: " + e.getMessage());
      }
      if (refused != null) {
        throw refused;
      }
      if (name == null) {
        throw new Refusal(400, "Bad Request", "The upload holds no file: send the jar as a form field with a file"
            + " name (curl -F file=@plugin.jar)");
      }
      if (Files.size(temp) > MAX_UPLOAD) {
        throw tooLarge(name + " is " + Files.size(temp) + " bytes");
      }
      Path target = free(SafePaths.child(dir, name));
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      return target;
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** @return the file name of a part's {@code Content-Disposition}, or null for a field that is no file */
  private static String fileName(ParameterParser params, String headers) {
    for (String line : headers.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("Content-Disposition")) {
        Map<String, String> p = params.parse(line.substring(colon + 1), ';');
        return p.get("filename");
      }
    }
    return null;
  }

  /** @return why the name is refused, or null when it is a plain .jar name */
  private Refusal check(String name) {
    try {
      SafePaths.child(dir, name);
    } catch (IOException e) {
      return new Refusal(400, "Bad Request", "The upload's file name '" + name + "' is refused: it is not a plain"
          + " file name (no folders, no ..)");
    }
    if (!name.toLowerCase(Locale.ROOT).endsWith(".jar")) {
      return new Refusal(400, "Bad Request", "The upload's file name '" + name + "' does not end in .jar: a plugin is"
          + " a jar");
    }
    return null;
  }

  /** @return {@code x.jar}, or {@code x-2.jar}, {@code x-3.jar}... when it exists: an earlier upload stays the source of its plugin */
  private static synchronized Path free(Path target) {
    String name = target.getFileName().toString();
    String stem = name.substring(0, name.length() - 4);
    Path p = target;
    for (int n = 2; Files.exists(p); n++) {
      p = target.resolveSibling(stem + "-" + n + name.substring(name.length() - 4));
    }
    return p;
  }

  /** Removes a jar that was not installed. */
  void discard(Path jar) {
    try {
      Files.deleteIfExists(jar);
    } catch (IOException ignored) {
      // a leftover in data/http/uploads; a later upload of that name gets -2
    }
  }

  private static Refusal tooLarge(String what) {
    return new Refusal(413, "Content Too Large", "The upload is " + what + "; a plugin jar may have at most "
        + MAX_UPLOAD + " bytes");
  }
}
