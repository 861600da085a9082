package io.dockevos.common.internal;

import java.util.regex.Pattern;

/**
 * The OSGi grammar of a {@code Bundle-SymbolicName}: {@code token ('.' token)*}, where a token is one
 * or more of {@code A-Z a-z 0-9 _ -}. Every source of bundles refuses a name outside it, because
 * paths are built from names (the data a plugin keeps at {@code plugin:uninstall --keep-data}), and
 * a name such as {@code ../../x} would reach outside {@code data/}.
 */
public final class SymbolicNames {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+(?:\\.[A-Za-z0-9_-]+)*");
  /** The grammar, in words. */
  public static final String GRAMMAR = "words of letters, digits, '_' and '-' joined by single dots, such as "
      + "com.example.plugin";

  private SymbolicNames() {}

  /** @return whether {@code name} (the header's name, without its attributes) is a valid symbolic name */
  public static boolean valid(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  /**
   * @param name the symbolic name: the {@code Bundle-SymbolicName} header up to its first {@code ;}, trimmed
   * @return {@code null} when it is valid; else why not, naming the header and the value, for example
   *     {@code Bundle-SymbolicName '../x' is not a valid symbolic name (words of ...)}
   */
  public static String problem(String name) {
    return valid(name) ? null : "Bundle-SymbolicName '" + name + "' is not a valid symbolic name (" + GRAMMAR + ")";
  }

  /** @return the symbolic name of a {@code Bundle-SymbolicName} header: its first clause, trimmed; {@code null} for none */
  public static String of(String header) {
    return header == null ? null : header.split(";", 2)[0].trim();
  }
}
