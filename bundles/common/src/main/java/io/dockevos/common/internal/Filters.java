package io.dockevos.common.internal;

/**
 * OSGi filters built from values: a value is escaped, so that it matches only itself. The OSGi
 * syntax (Core, Filter Syntax) escapes {@code \ * ( )} with a backslash before the character; the
 * LDAP hex form ({@code \2a}) means the characters themselves there ({@code 2a}).
 */
public final class Filters {
  private Filters() {}

  /** @return the value with {@code \ * ( )} escaped, for {@code (key=VALUE)} */
  public static String escape(String value) {
    StringBuilder b = new StringBuilder(value.length() + 8);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\\' || c == '*' || c == '(' || c == ')') {
        b.append('\\');
      }
      b.append(c);
    }
    return b.toString();
  }
}
