package io.dockevos.http.internal;

import io.dockevos.common.internal.SafePaths;
import io.dockevos.http.internal.ApiServlet.Refusal;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collection;
import java.util.Locale;

/**
 * Plugin jars uploaded as {@code multipart/form-data} ({@code POST /api/v1/plugins}): each is kept
 * in {@code data/http/uploads} under its own file name, which must be a plain name ending in
 * {@code .jar} (a name with a path, such as {@code ../../x.jar}, is refused with 400; a name taken by an
 * earlier upload gets {@code -2}, {@code -3}...), and at most
 * {@value #MAX_UPLOAD} bytes (413 beyond); then the install pipeline installs it from there.
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
    Collection<Part> parts;
    try {
      parts = req.getParts();
    } catch (IllegalStateException | ServletException | IOException e) {
      if (String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("size")
          || String.valueOf(e.getCause()).toLowerCase(Locale.ROOT).contains("size")) {
        throw tooLarge("over the limit");
      }
      throw new Refusal(400, "Bad Request", "The upload cannot be read as multipart/form-data: " + e.getMessage());
    }
    Part jar = null;
    for (Part p : parts) {
      if (p.getSubmittedFileName() != null) {
        if (jar != null) {
          throw new Refusal(400, "Bad Request", "The upload holds more than one file (" + jar.getSubmittedFileName()
              + ", " + p.getSubmittedFileName() + "): send one jar per request");
        }
        jar = p;
      }
    }
    if (jar == null) {
      throw new Refusal(400, "Bad Request", "The upload holds no file: send the jar as a form field with a file"
          + " name (curl -F file=@plugin.jar)");
    }
    String name = jar.getSubmittedFileName();
    if (jar.getSize() > MAX_UPLOAD) {
      throw tooLarge(name + " is " + jar.getSize() + " bytes");
    }
    Path target;
    try {
      target = SafePaths.child(dir, name);
    } catch (IOException e) {
      throw new Refusal(400, "Bad Request", "The upload's file name '" + name + "' is refused: it is not a plain"
          + " file name (no folders, no ..)");
    }
    if (!name.toLowerCase(Locale.ROOT).endsWith(".jar")) {
      throw new Refusal(400, "Bad Request", "The upload's file name '" + name + "' does not end in .jar: a plugin is"
          + " a jar");
    }
    Files.createDirectories(dir);
    Path temp = Files.createTempFile(dir, ".upload-", ".tmp");
    try (InputStream in = jar.getInputStream()) {
      Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
      target = free(target);
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
      jar.delete();
    }
    return target;
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
      // a leftover in data/http/uploads; the next upload of that name replaces it
    }
  }

  private static Refusal tooLarge(String what) {
    return new Refusal(413, "Content Too Large", "The upload is " + what + "; a plugin jar may have at most "
        + MAX_UPLOAD + " bytes");
  }
}
