package io.dockevos.common.internal;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The one redaction of dockevOS: masks secrets wherever they would be shown, logged or kept. A
 * secret is the value of a key named like one ({@code password}, {@code passwd}, {@code passphrase},
 * {@code secret}, {@code token}, {@code apiKey}, {@code credentials}, {@code privateKey}, in any
 * case and within a longer name such as {@code db.password}), a Metatype PASSWORD attribute (the
 * caller knows which), the password of a URL ({@code https://user:PASSWORD@host}), the credentials
 * after {@code Bearer} or {@code Authorization:}, and the value of a secret-looking option on a command line
 * ({@code --token X}, {@code password=X}). Plain Java, no OSGi: the launcher's log uses it too.
 */
public final class Secrets {
  /** What a secret is shown as: always the same, so that it says nothing of the secret's length. */
  public static final String MASK = "********";

  private static final Pattern SECRET_NAME = Pattern.compile(
      "(?i)(?:password|passwd|passphrase|secret|token|api[._-]?key|credentials?|private[._-]?key)");
  /** The names above in lower case, as {@link #redact} looks for them. */
  private static final String[] NAMES = {"password", "passwd", "passphrase", "secret", "token", "apikey", "api_key",
      "api-key", "api.key", "credential", "privatekey", "private_key", "private-key", "private.key"};
  /** Where a value ends: a space, a quote, a separator, a closing bracket. */
  private static final String VALUE_END = "\"',;&)}]";
  /** What the credentials after Bearer or Authorization are made of. */
  private static final String CREDENTIAL = "._~+/-=";

  private Secrets() {}

  /** @return whether a key (a configuration property, an incident's or an event's property) names a secret */
  public static boolean secretKey(String key) {
    return key != null && SECRET_NAME.matcher(key).find();
  }

  /**
   * Masks, in one pass over the text and without backtracking (it runs on every log line and every
   * incident): the password of {@code scheme://user:password@}; the credentials after {@code
   * Bearer} and {@code Authorization:} or {@code =}; the value of a name that holds a secret, in
   * {@code name=value}, {@code "name": "value"} (JSON), {@code name: value} at the start of a line
   * (YAML, properties) and {@code --name value} (a command line).
   *
   * @return the text with every secret in it masked; the text itself when it has none
   */
  public static String redact(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    int n = text.length();
    char[] lower = new char[n];
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      lower[i] = c >= 'A' && c <= 'Z' ? (char) (c + 32) : c; // ASCII only: the same length, the same indexes
    }
    String low = new String(lower);
    List<int[]> masks = new ArrayList<>();
    if (text.indexOf('@') >= 0) {
      for (int at = low.indexOf("://"); at >= 0; at = low.indexOf("://", at + 3)) {
        urlPassword(text, at + 3, masks);
      }
    }
    for (String word : new String[] {"bearer", "authorization"}) {
      for (int at = low.indexOf(word); at >= 0; at = low.indexOf(word, at + word.length())) {
        credential(text, at, word.length(), word.equals("authorization"), masks);
      }
    }
    for (String name : NAMES) {
      for (int at = low.indexOf(name); at >= 0; at = low.indexOf(name, at + name.length())) {
        named(text, at, at + name.length(), masks);
      }
    }
    if (masks.isEmpty()) {
      return text;
    }
    masks.sort((a, b) -> Integer.compare(a[0], b[0]));
    StringBuilder out = new StringBuilder(n);
    int done = 0;
    for (int[] m : masks) {
      if (m[0] < done) {
        continue; // within a mask already applied
      }
      out.append(text, done, m[0]).append(MASK);
      done = m[1];
    }
    return out.append(text, done, n).toString();
  }

  /** {@code user:password@} right after {@code ://}: the password, up to the first {@code @}. */
  private static void urlPassword(String text, int from, List<int[]> masks) {
    int end = from;
    while (end < text.length() && "/?#".indexOf(text.charAt(end)) < 0 && !Character.isWhitespace(text.charAt(end))) {
      end++;
    }
    int at = text.indexOf('@', from);
    if (at < 0 || at >= end) {
      return;
    }
    int colon = text.indexOf(':', from);
    if (colon >= 0 && colon + 1 < at && !text.startsWith(MASK, colon + 1)) {
      masks.add(new int[] {colon + 1, at});
    }
  }

  /** {@code Bearer X}; {@code Authorization: X}, {@code Authorization: Basic X}, {@code Authorization=X}. */
  private static void credential(String text, int at, int length, boolean header, List<int[]> masks) {
    if (at > 0 && Character.isLetterOrDigit(text.charAt(at - 1))) {
      return;
    }
    int i = at + length;
    if (header) {
      i = skipSpaces(text, i);
      if (i >= text.length() || text.charAt(i) != ':' && text.charAt(i) != '=') {
        return;
      }
      i = skipSpaces(text, i + 1);
      for (String scheme : new String[] {"basic", "bearer"}) {
        if (text.regionMatches(true, i, scheme, 0, scheme.length()) && i + scheme.length() < text.length()
            && Character.isWhitespace(text.charAt(i + scheme.length()))) {
          i = skipSpaces(text, i + scheme.length());
        }
      }
    } else {
      int spaced = skipSpaces(text, i);
      if (spaced == i) {
        return;
      }
      i = spaced;
    }
    int end = i;
    while (end < text.length() && (Character.isLetterOrDigit(text.charAt(end)) || CREDENTIAL.indexOf(text.charAt(end)) >= 0)) {
      end++;
    }
    if (end - i >= 6 && !text.startsWith(MASK, i)) {
      masks.add(new int[] {i, end});
    }
  }

  /** A name that holds a secret, at {@code [start, end)} within a longer name perhaps: the value given to it. */
  private static void named(String text, int start, int end, List<int[]> masks) {
    int ks = start;
    while (ks > 0 && nameChar(text.charAt(ks - 1))) {
      ks--;
    }
    int ke = end;
    while (ke < text.length() && nameChar(text.charAt(ke))) {
      ke++;
    }
    boolean quoted = ks > 0 && text.charAt(ks - 1) == '"' && ke < text.length() && text.charAt(ke) == '"';
    int i = quoted ? ke + 1 : ke;
    int sep = skipSpaces(text, i);
    boolean lineStart = true;
    for (int j = ks - 1; j >= 0 && text.charAt(j) != '\n' && text.charAt(j) != '\r'; j--) {
      if (text.charAt(j) != ' ' && text.charAt(j) != '\t') {
        lineStart = false;
        break;
      }
    }
    int value;
    if (sep < text.length() && (text.charAt(sep) == '=' || text.charAt(sep) == ':' && (quoted || lineStart))) {
      value = skipSpaces(text, sep + 1);
      if (value < text.length() && text.charAt(value) == '"') {
        value++;
      }
    } else if (text.charAt(ks) == '-' && (ks == 0 || Character.isWhitespace(text.charAt(ks - 1))) && sep > ke
        && sep < text.length() && text.charAt(sep) != '-') {
      value = sep; // --token VALUE
    } else {
      return;
    }
    int ve = value;
    while (ve < text.length() && !Character.isWhitespace(text.charAt(ve)) && VALUE_END.indexOf(text.charAt(ve)) < 0) {
      ve++;
    }
    if (ve > value && !text.startsWith(MASK, value)) {
      masks.add(new int[] {value, ve});
    }
  }

  private static boolean nameChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '-';
  }

  private static int skipSpaces(String text, int i) {
    while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
      i++;
    }
    return i;
  }

  /** @return the value of a key: masked whole when the key names a secret, else with the secrets in it masked */
  public static String value(String key, String value) {
    if (value == null || value.isEmpty()) {
      return value;
    }
    return secretKey(key) ? MASK : redact(value);
  }

  /**
   * A configuration's value, for display.
   *
   * @param password whether its Metatype attribute is of type PASSWORD
   * @return {@link #MASK} for a PASSWORD attribute or a key that names a secret (each element of an
   *     array or collection); a text, or the texts of an array or collection, with their secrets
   *     masked; else the value itself
   */
  public static Object value(String key, Object value, boolean password) {
    if (value == null) {
      return null;
    }
    boolean mask = password || secretKey(key);
    if (value instanceof String s) {
      return mask && !s.isEmpty() ? MASK : redact(s);
    }
    if (value.getClass().isArray() || value instanceof Collection<?>) {
      Object[] items = value instanceof Collection<?> c ? c.toArray() : new Object[Array.getLength(value)];
      if (!(value instanceof Collection<?>)) {
        for (int i = 0; i < items.length; i++) {
          items[i] = Array.get(value, i);
        }
      }
      for (int i = 0; i < items.length; i++) {
        items[i] = mask ? MASK : items[i] instanceof String s ? redact(s) : items[i];
      }
      return items;
    }
    return mask ? MASK : value;
  }

  /** @return the properties with each value as {@link #value(String, String)} gives it; the map itself when none changes */
  public static Map<String, String> redact(Map<String, String> properties) {
    Map<String, String> result = null;
    for (Map.Entry<String, String> e : properties.entrySet()) {
      String v = value(e.getKey(), e.getValue());
      if (result == null && !java.util.Objects.equals(v, e.getValue())) {
        result = new LinkedHashMap<>(properties);
      }
      if (result != null) {
        result.put(e.getKey(), v);
      }
    }
    return result == null ? properties : result;
  }
}
