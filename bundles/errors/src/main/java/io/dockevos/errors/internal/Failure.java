package io.dockevos.errors.internal;

import io.dockevos.common.internal.Secrets;
import io.dockevos.error.Incident;
import io.dockevos.error.IncidentProperties;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One failure as a source saw it, before it is counted into an incident.
 *
 * @param key what the fingerprint is made of, before hashing
 */
record Failure(String source, String pluginId, Incident.Severity severity, String summary, String detail, String key,
    Map<String, String> properties) {
  /** How many frames of the root cause go into a fingerprint. */
  static final int FRAMES = 3;
  private static final Pattern PORT = Pattern.compile("(?:port[ =:]*|:)(\\d{2,5})\\b");
  private static final Pattern PID = Pattern.compile("(?i)\\bpid[ =:]+([\\w.~-]+)");
  private static final Pattern NUMBERS = Pattern.compile("\\d+");
  private static final Pattern LINE_BREAKS = Pattern.compile("\\s*\\R\\s*");
  /** Fingerprints by key: a storm of repeats hashes each key once. Bounded (10,000 keys of at most 1,024 characters), cleared when full. */
  private static final Map<String, String> HASHES = new java.util.concurrent.ConcurrentHashMap<>();
  private static final ThreadLocal<MessageDigest> SHA = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  });

  /** The longest detail an incident keeps, in characters; the rest is cut, and the detail says how much. */
  static final int MAX_DETAIL = 64 * 1024;
  /** The longest property value kept, in characters. */
  static final int MAX_VALUE = 8 * 1024;
  /** The most properties kept. */
  static final int MAX_PROPERTIES = 100;

  /**
   * Its words and values with every secret masked ({@link Secrets}), then bounded: what an incident
   * keeps, shows and sends. Whatever a source hands in (a message of megabytes, an event with
   * thousands of properties), an incident in memory and in the store stays bounded.
   */
  Failure {
    summary = oneLine(Secrets.redact(summary));
    detail = cut(detail, MAX_DETAIL);
    Map<String, String> bounded = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : properties.entrySet()) {
      if (bounded.size() == MAX_PROPERTIES) {
        break;
      }
      bounded.put(cut(e.getKey(), 200), cut(e.getValue(), MAX_VALUE));
    }
    properties = Map.copyOf(Secrets.redact(bounded));
  }

  /**
   * The text with its secrets masked, cut to {@code max} characters and followed by a line that says
   * how many more there were. Only the first {@code 2 max} characters are read for secrets: a
   * message of megabytes costs no more than a long one.
   */
  static String cut(String s, int max) {
    if (s == null) {
      return null;
    }
    String masked = Secrets.redact(s.length() > 2 * max ? s.substring(0, 2 * max) : s);
    if (masked.length() <= max && s.length() <= 2 * max) {
      return masked;
    }
    return masked.substring(0, Math.min(max, masked.length())) + "\n[cut: " + Math.max(0, s.length() - max)
        + " more characters were not kept]";
  }

  String fingerprint() {
    return hash(key);
  }

  static String hash(String key) {
    String h = HASHES.get(key);
    if (h == null) {
      byte[] d = SHA.get().digest(key.getBytes(StandardCharsets.UTF_8));
      h = HexFormat.of().formatHex(d, 0, 8);
      if (key.length() > 1024) {
        return h; // a long key (a message of megabytes) is not kept in the cache
      }
      if (HASHES.size() > 10_000) {
        HASHES.clear();
      }
      HASHES.put(key, h);
    }
    return h;
  }

  /** The root cause, through the wrappers that carry no meaning of their own. */
  static Throwable root(Throwable t) {
    Throwable r = t;
    while (r.getCause() != null && r.getCause() != r) {
      r = r.getCause();
    }
    return r;
  }

  /** The exception's type and the top frames of its root cause, for a fingerprint. */
  static String signature(Throwable t) {
    Throwable r = root(t);
    StringBuilder s = new StringBuilder(r.getClass().getName());
    StackTraceElement[] frames = r.getStackTrace();
    for (int i = 0; i < Math.min(FRAMES, frames.length); i++) {
      s.append('|').append(frames[i].getClassName()).append('.').append(frames[i].getMethodName());
    }
    return s.toString();
  }

  /** A message with its numbers taken out, so that ids and counts do not split one failure into many. */
  static String normalized(String message) {
    return message == null ? "" : NUMBERS.matcher(message).replaceAll("#");
  }

  static String stack(Throwable t) {
    StringWriter w = new StringWriter();
    t.printStackTrace(new PrintWriter(w));
    return w.toString().strip();
  }

  /**
   * What analyzers read of an exception: its root cause's type and message, the wrapper, a port
   * in use, a configuration PID.
   */
  static Map<String, String> describe(Throwable t) {
    Map<String, String> p = new LinkedHashMap<>();
    if (t == null) {
      return p;
    }
    Throwable r = root(t);
    p.put(IncidentProperties.EXCEPTION, r.getClass().getName());
    if (r.getMessage() != null) {
      p.put(IncidentProperties.MESSAGE, r.getMessage());
    }
    if (r != t && !(t instanceof InvocationTargetException && t.getCause() == r)) {
      p.put(IncidentProperties.EXCEPTION_WRAPPER, t.getClass().getName());
    }
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof java.net.BindException && c.getMessage() != null) {
        Matcher m = PORT.matcher(c.getMessage());
        if (m.find()) {
          p.put(IncidentProperties.PORT, m.group(1));
        }
      }
      if (c.getMessage() != null && !p.containsKey(IncidentProperties.CONFIG_PID)) {
        Matcher m = PID.matcher(c.getMessage());
        if (m.find()) {
          p.put(IncidentProperties.CONFIG_PID, m.group(1));
        }
      }
    }
    return p;
  }

  /** A message on one line, cut to a length a table can show. */
  static String oneLine(String s) {
    if (s == null) {
      return "";
    }
    String line = s.strip();
    if (line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) {
      line = LINE_BREAKS.matcher(line).replaceAll(" ");
    }
    return line.length() > 300 ? line.substring(0, 297) + "..." : line;
  }
}
