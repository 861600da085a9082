package io.dockevos.mcp.internal;

import java.util.Map;

/** Reads a built-in tool's arguments, naming the argument and what it takes when one is wrong. */
final class Args {
  private Args() {}

  static String string(Map<String, Object> args, String name, boolean required) throws ToolException {
    Object v = args.get(name);
    if (v == null) {
      if (required) {
        throw new ToolException("The argument " + name + " is missing: it is required (a string)");
      }
      return null;
    }
    if (!(v instanceof String s) || s.isBlank()) {
      throw new ToolException("The argument " + name + " takes a string that is not empty, not " + v);
    }
    return s.strip();
  }

  static boolean bool(Map<String, Object> args, String name) throws ToolException {
    Object v = args.get(name);
    if (v == null) {
      return false;
    }
    if (!(v instanceof Boolean b)) {
      throw new ToolException("The argument " + name + " takes true or false, not " + v);
    }
    return b;
  }

  static long integer(Map<String, Object> args, String name, long fallback, long min, long max) throws ToolException {
    Object v = args.get(name);
    if (v == null) {
      return fallback;
    }
    if (!(v instanceof Long || v instanceof Integer) || ((Number) v).longValue() < min
        || ((Number) v).longValue() > max) {
      throw new ToolException("The argument " + name + " takes a whole number from " + min + " to " + max + ", not "
          + v);
    }
    return ((Number) v).longValue();
  }
}
