package io.dockevos.common.internal;

/** LDAP filters (RFC 1960) built from values: a value is escaped, so that it matches only itself. */
public final class Filters {
  private Filters() {}

  /** @return the value with {@code \ ( ) *} escaped, for {@code (key=VALUE)} */
  public static String escape(String value) {
    return value.replace("\\", "\\5c").replace("(", "\\28").replace(")", "\\29").replace("*", "\\2a");
  }
}
