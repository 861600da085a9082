package io.dockevos.docker.internal;

import com.github.dockerjava.api.exception.DockerClientException;
import com.github.dockerjava.api.exception.DockerException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.NoSuchFileException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns what docker-java throws into plain words. */
final class Errors {
  private static final Pattern MESSAGE = Pattern.compile("\"message\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

  private Errors() {}

  /** Whether the failure is the engine not answering at all, rather than an answer that says no. */
  static boolean unreachable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof DockerException) {
        return false;
      }
      if (t instanceof ConnectException || t instanceof NoSuchFileException || t instanceof SocketException
          || t instanceof SocketTimeoutException || t instanceof UnknownHostException
          || t instanceof java.io.FileNotFoundException) {
        return true;
      }
    }
    return e instanceof IOException || e.getCause() instanceof IOException;
  }

  /** The innermost useful message of a failure that did not reach the engine. */
  static String cause(Throwable e) {
    Throwable last = e;
    for (Throwable t = e; t != null; t = t.getCause()) {
      last = t;
    }
    String m = last.getMessage();
    String type = last.getClass().getSimpleName();
    if (last instanceof NoSuchFileException) {
      return "no such socket " + m;
    }
    return m == null || m.isBlank() ? type : m;
  }

  /** The engine's own message in an error answer ({@code {"message": "..."}}), else the exception's. */
  static String engineMessage(Throwable e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    Matcher matcher = MESSAGE.matcher(m);
    if (matcher.find()) {
      return matcher.group(1).replace("\\\"", "\"").replace("\\n", " ").strip();
    }
    if (e instanceof DockerClientException && e.getCause() != null && e.getCause() != e) {
      return cause(e);
    }
    return m.replaceFirst("^Status \\d+: ", "").strip();
  }
}
