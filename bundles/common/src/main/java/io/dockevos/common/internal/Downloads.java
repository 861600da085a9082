package io.dockevos.common.internal;

import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.locks.LockSupport;
import java.util.function.UnaryOperator;

/**
 * Every download over HTTP(S) that the runtime makes for a user (a plugin, a feature repository, an
 * R5 index), bounded: a size limit (refused before a byte is written when the server's {@code
 * Content-Length} says more, stopped when the bytes that come exceed it), a deadline for the whole
 * download, a longest silence, and a connect timeout; what came of a failed download is deleted.
 * The limits are framework properties ({@link #MAX_MIB}, {@link #DEADLINE_SECONDS}, {@link
 * #IDLE_SECONDS}, {@link #CONNECT_SECONDS}). Redirects are followed, except from https: to http:.
 */
public final class Downloads {
  /** The framework property of the size limit, in MiB (default 256). */
  public static final String MAX_MIB = "dockevos.download.maxMiB";
  /** The framework property of the deadline of a whole download, in seconds (default 120). */
  public static final String DEADLINE_SECONDS = "dockevos.download.deadlineSeconds";
  /** The framework property of the longest time without a byte, in seconds (default 30). */
  public static final String IDLE_SECONDS = "dockevos.download.idleSeconds";
  /** The framework property of the connect timeout, in seconds (default 5). */
  public static final String CONNECT_SECONDS = "dockevos.download.connectSeconds";
  /** Why a plain {@code http:} URL is refused, in words; each command adds the flag that accepts it. */
  public static final String NOT_SECURE = "http: is not secure: anyone on the way can read and change what the server"
      + " sends";

  private Downloads() {}

  /**
   * The limits of a download.
   *
   * @param maxBytes the most bytes a download may have
   * @param deadline the longest a whole download may take, from the request to the last byte
   * @param idle the longest time without a byte (the headers included)
   * @param connect the longest time to connect
   */
  public record Limits(long maxBytes, Duration deadline, Duration idle, Duration connect) {
    public static final Limits DEFAULT = new Limits(256L << 20, Duration.ofSeconds(120), Duration.ofSeconds(30),
        Duration.ofSeconds(5));

    /** @return the limits the properties set; one that is missing or not a positive whole number keeps its default */
    public static Limits of(UnaryOperator<String> properties) {
      return new Limits(positive(properties.apply(MAX_MIB), DEFAULT.maxBytes >> 20) << 20,
          Duration.ofSeconds(positive(properties.apply(DEADLINE_SECONDS), DEFAULT.deadline.toSeconds())),
          Duration.ofSeconds(positive(properties.apply(IDLE_SECONDS), DEFAULT.idle.toSeconds())),
          Duration.ofSeconds(positive(properties.apply(CONNECT_SECONDS), DEFAULT.connect.toSeconds())));
    }

    private static long positive(String value, long fallback) {
      try {
        long v = value == null ? fallback : Long.parseLong(value.trim());
        return v > 0 && v < (1L << 40) ? v : fallback;
      } catch (NumberFormatException e) {
        return fallback;
      }
    }

    /** @return the size limit in words: {@code 256 MiB (the limit dockevos.download.maxMiB)} */
    String size() {
      return (maxBytes % (1 << 20) == 0 ? (maxBytes >> 20) + " MiB" : maxBytes + " bytes") + " (the limit " + MAX_MIB
          + ")";
    }
  }

  /** Why a download failed. */
  public enum Reason {
    /** The connection was refused, or the host is unknown. */
    UNREACHABLE,
    /** No connection within the connect timeout. */
    NO_ANSWER,
    /** The server answered something else than 200 OK. */
    STATUS,
    /** The server said, or sent, more than the size limit. */
    TOO_BIG,
    /** The whole download took longer than the deadline. */
    DEADLINE,
    /** Nothing came for longer than the idle limit. */
    IDLE,
    /** The thread that downloads was interrupted. */
    INTERRUPTED,
    /** Anything else: the connection broke, the file could not be written. */
    FAILED
  }

  /** A failed download: why, as a value, and in words; the message does not repeat the URL, the caller names it. */
  public static final class Failure extends IOException {
    private static final long serialVersionUID = 1L;
    private final Reason reason;

    Failure(Reason reason, String message, Throwable cause) {
      super(message, cause);
      this.reason = reason;
    }

    public Reason reason() {
      return reason;
    }
  }

  /**
   * What was downloaded.
   *
   * @param size its length in bytes
   * @param sha256 its SHA-256, in lower-case hex
   */
  public record Downloaded(Path file, long size, String sha256) {}

  /** @return whether the URL is plain {@code http:}, which a command accepts only when the user says so */
  public static boolean plainHttp(URI uri) {
    return "http".equalsIgnoreCase(uri.getScheme());
  }

  /**
   * Downloads into {@code file} (created or replaced); on failure, the file is deleted.
   *
   * @throws Failure why it failed
   */
  public static Downloaded toFile(URI uri, Path file, Limits limits) throws Failure {
    MessageDigest sha256 = sha256();
    long size;
    try (OutputStream out = new FileOutputStream(file.toFile())) {
      size = transfer(uri, limits, out, sha256);
    } catch (Failure e) {
      deleteQuietly(file);
      throw e;
    } catch (IOException e) {
      deleteQuietly(file);
      throw new Failure(Reason.FAILED, "it cannot be written to " + file + ": " + e.getMessage(), e);
    }
    return new Downloaded(file, size, HexFormat.of().formatHex(sha256.digest()));
  }

  /**
   * @return the bytes at {@code uri}, within the limits
   * @throws Failure why it failed
   */
  public static byte[] toBytes(URI uri, Limits limits) throws Failure {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    transfer(uri, limits, out, sha256());
    return out.toByteArray();
  }

  /** @return the SHA-256 of a file, in lower-case hex */
  public static String sha256(Path file) throws IOException {
    MessageDigest digest = sha256();
    try (InputStream in = new java.io.FileInputStream(file.toFile())) {
      byte[] buffer = new byte[64 * 1024];
      for (int n; (n = in.read(buffer)) >= 0; ) {
        digest.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  private static long transfer(URI uri, Limits limits, OutputStream sink, MessageDigest digest) throws Failure {
    long deadline = System.nanoTime() + limits.deadline().toNanos();
    HttpClient client = HttpClient.newBuilder().connectTimeout(limits.connect())
        .followRedirects(HttpClient.Redirect.NORMAL).build();
    Duration headers = limits.idle().compareTo(limits.deadline()) < 0 ? limits.idle() : limits.deadline();
    HttpResponse<InputStream> response;
    try {
      response = client.send(HttpRequest.newBuilder(uri).timeout(headers).GET().build(),
          HttpResponse.BodyHandlers.ofInputStream());
    } catch (HttpConnectTimeoutException e) {
      throw new Failure(Reason.NO_ANSWER, "no answer within " + limits.connect().toSeconds() + " s (the limit "
          + CONNECT_SECONDS + ")", e);
    } catch (HttpTimeoutException e) {
      throw headers == limits.deadline() ? deadline(limits, e) : idle(limits, e);
    } catch (ConnectException e) {
      throw new Failure(Reason.UNREACHABLE, "the connection was refused", e);
    } catch (IOException e) {
      Throwable root = e;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      if (root instanceof UnknownHostException || root instanceof ConnectException) {
        throw new Failure(Reason.UNREACHABLE, root instanceof UnknownHostException ? "unknown host " + uri.getHost()
            : "the connection was refused", e);
      }
      throw new Failure(Reason.FAILED, "the download failed: " + describe(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Failure(Reason.INTERRUPTED, "the download was interrupted", e);
    } catch (IllegalArgumentException e) {
      throw new Failure(Reason.FAILED, "it is not a URL that can be downloaded: " + e.getMessage(), e);
    }
    Watchdog watchdog = new Watchdog(response.body(), deadline, limits.idle().toNanos());
    try (InputStream in = response.body()) {
      if (response.statusCode() != 200) {
        String to = response.headers().firstValue("Location").orElse(null);
        throw new Failure(Reason.STATUS, "the server answered HTTP " + response.statusCode() + (to != null
            && response.statusCode() / 100 == 3 ? " (a redirect to " + to + ", which is not followed from https: to"
            + " http:)" : ""), null);
      }
      String length = response.headers().firstValue("Content-Length").orElse("").trim();
      if (length.matches("\\d+") && (length.length() > 18 || Long.parseLong(length) > limits.maxBytes())) {
        throw new Failure(Reason.TOO_BIG, "the server says it is " + length + " bytes, more than "
            + limits.size() + "; nothing was downloaded", null);
      }
      watchdog.start();
      byte[] buffer = new byte[64 * 1024];
      long total = 0;
      for (int n; (n = in.read(buffer)) >= 0; ) {
        watchdog.progress();
        total += n;
        if (total > limits.maxBytes()) {
          throw new Failure(Reason.TOO_BIG, "it is larger than " + limits.size()
              + "; the download was stopped and what came was deleted", null);
        }
        digest.update(buffer, 0, n);
        sink.write(buffer, 0, n);
      }
      if (watchdog.expired() != null) {
        throw watchdog.failure(limits, null);
      }
      return total;
    } catch (Failure e) {
      throw e;
    } catch (IOException e) {
      if (watchdog.expired() != null) {
        throw watchdog.failure(limits, e);
      }
      if (Thread.currentThread().isInterrupted()) {
        throw new Failure(Reason.INTERRUPTED, "the download was interrupted", e);
      }
      throw new Failure(Reason.FAILED, "the download broke off: " + describe(e), e);
    } finally {
      watchdog.stop();
    }
  }

  private static Failure deadline(Limits limits, Throwable cause) {
    return new Failure(Reason.DEADLINE, "not finished within " + limits.deadline().toSeconds() + " s (the limit "
        + DEADLINE_SECONDS + "); what came was deleted", cause);
  }

  private static Failure idle(Limits limits, Throwable cause) {
    return new Failure(Reason.IDLE, "no data came for " + limits.idle().toSeconds() + " s (the limit " + IDLE_SECONDS
        + "); what came was deleted", cause);
  }

  private static String describe(Throwable e) {
    return e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getName() : e.getMessage();
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // a leftover is removed with its folder's next cleanup
    }
  }

  /**
   * Closes the body's stream at the deadline or after the idle limit, which ends a read that waits:
   * the client's own timeout covers the headers only.
   */
  private static final class Watchdog implements Runnable {
    private final InputStream in;
    private final long deadline;
    private final long idleNanos;
    private final Thread thread;
    private volatile long last = System.nanoTime();
    private volatile Reason expired;
    private volatile boolean over;

    Watchdog(InputStream in, long deadline, long idleNanos) {
      this.in = in;
      this.deadline = deadline;
      this.idleNanos = idleNanos;
      this.thread = new Thread(this, "dockevos-download-watchdog");
      thread.setDaemon(true);
    }

    void start() {
      last = System.nanoTime();
      thread.start();
    }

    void progress() {
      last = System.nanoTime();
    }

    Reason expired() {
      return expired;
    }

    Failure failure(Limits limits, Throwable cause) {
      return expired == Reason.DEADLINE ? deadline(limits, cause) : idle(limits, cause);
    }

    void stop() {
      over = true;
      LockSupport.unpark(thread);
    }

    @Override
    public void run() {
      while (!over) {
        long now = System.nanoTime();
        long idleAt = last + idleNanos;
        if (now - deadline >= 0 || now - idleAt >= 0) {
          expired = now - deadline >= 0 ? Reason.DEADLINE : Reason.IDLE;
          try {
            in.close();
          } catch (IOException ignored) {
            // closed anyway
          }
          return;
        }
        LockSupport.parkNanos(this, Math.min(deadline - now, idleAt - now));
      }
    }
  }
}
