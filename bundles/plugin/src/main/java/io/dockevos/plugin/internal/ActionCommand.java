package io.dockevos.plugin.internal;

import io.dockevos.common.internal.Json;

import io.dockevos.action.ActionException;
import io.dockevos.action.ActionListener;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.PrintStream;
import java.io.StringReader;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs an action from the shell: {@code scope:name [key=value ...]}, {@code scope:name 'JSON'} or
 * {@code scope:name --help}, with {@code --timeout=SECONDS}. Values are typed by the schema, output
 * and progress are printed as they come, and the result is printed as JSON (text as it is).
 */
final class ActionCommand {
  private ActionCommand() {}

  /** The Gogo command of an action, and {@code plugin:execute}. */
  static Object run(ActionRuntime runtime, ActionRuntime.Entry e, List<?> args) throws ActionException {
    PrintStream out = System.out;
    if (args.stream().anyMatch(a -> "--help".equals(a) || "-h".equals(a))) {
      out.println(help(e));
      return null;
    }
    Duration timeout = null;
    List<String> rest = new java.util.ArrayList<>();
    for (Object a : args) {
      String s = String.valueOf(a);
      if (s.startsWith("--timeout=")) {
        timeout = timeout(e, s.substring("--timeout=".length()));
      } else {
        rest.add(s);
      }
    }
    Map<String, Object> input = input(e, rest);
    print(out, invoke(runtime, e, input, timeout, out));
    return null;
  }

  /**
   * @return the deadline that {@code --timeout=SECONDS} gives
   * @throws ActionException naming the option and the action when it is not a number of seconds
   *     above 0 (a word, a negative number or 0 would cancel the action at once or never)
   */
  static Duration timeout(ActionRuntime.Entry e, String seconds) throws ActionException {
    double s;
    try {
      s = Double.parseDouble(seconds.trim());
    } catch (NumberFormatException x) {
      s = Double.NaN;
    }
    if (!(s > 0) || s > Long.MAX_VALUE / 1000d) {
      throw new ActionException(ActionException.Kind.INVALID_INPUT, "--timeout=" + seconds + " is not a number of"
          + " seconds above 0: give the time " + e.command() + " may take, for example --timeout=30", null, null);
    }
    return Duration.ofMillis(Math.max(1, (long) (s * 1000)));
  }

  static Object invoke(ActionRuntime runtime, ActionRuntime.Entry e, Map<String, Object> input, Duration timeout,
      PrintStream out) {
    try {
      return runtime.invoke(e, input, timeout, new ActionListener() {
        @Override
        public void progress(int percent, String message) {
          out.println("[" + percent + "%] " + message);
          out.flush();
        }

        @Override
        public void output(String chunk) {
          out.print(chunk.endsWith("\n") ? chunk : chunk + "\n");
          out.flush();
        }
      });
    } catch (ActionException x) {
      // The shell prints an IllegalStateException's message as it is.
      throw new IllegalStateException(x.getMessage(), x);
    }
  }

  static void print(PrintStream out, Object result) {
    if (result == null) {
      return;
    }
    out.println(result instanceof String s ? s : Json.pretty(result));
  }

  /** Input from {@code key=value} words, or one JSON object. */
  static Map<String, Object> input(ActionRuntime.Entry e, List<String> words) throws ActionException {
    if (words.size() == 1 && words.get(0).trim().startsWith("{")) {
      try {
        return toJava(Json.provider().createReader(new StringReader(words.get(0))).readObject());
      } catch (RuntimeException x) {
        throw new ActionException(ActionException.Kind.INVALID_INPUT, "The input of " + e.command()
            + " is not a JSON object: " + x.getMessage(), null, x);
      }
    }
    JsonObject properties = properties(e);
    Map<String, Object> input = new LinkedHashMap<>();
    for (String w : words) {
      int eq = w.indexOf('=');
      if (eq <= 0) {
        throw new ActionException(ActionException.Kind.INVALID_INPUT, "Cannot read '" + w + "': give the input of "
            + e.command() + " as key=value words or one JSON object (see " + e.command() + " --help)", null, null);
      }
      String key = w.substring(0, eq);
      String value = w.substring(eq + 1);
      JsonObject p = properties.containsKey(key) && properties.get(key) instanceof JsonObject o ? o : null;
      input.put(key, typed(p == null ? "string" : p.getString("type", "string"), value));
    }
    return input;
  }

  /** A word typed by the schema; what does not parse stays a string, for the schema to name. */
  private static Object typed(String type, String value) {
    try {
      return switch (type) {
        case "integer" -> Long.parseLong(value);
        case "number" -> Double.parseDouble(value);
        case "boolean" -> value.equals("true") || value.equals("false") ? Boolean.valueOf(value) : value;
        case "array" -> value.startsWith("[") ? toJava(Json.provider().createReader(new StringReader(value))
            .readArray()) : List.of(value.split(","));
        case "object" -> toJava(Json.provider().createReader(new StringReader(value)).readObject());
        default -> value;
      };
    } catch (RuntimeException x) {
      return value;
    }
  }

  static <T> T toJava(JsonValue v) {
    return Json.toJava(v);
  }

  private static JsonObject properties(ActionRuntime.Entry e) throws ActionException {
    JsonObject schema = Json.provider().createReader(new StringReader(e.schema())).readObject();
    JsonValue p = schema.get("properties");
    return p instanceof JsonObject o ? o : JsonValue.EMPTY_JSON_OBJECT;
  }

  /** {@code --help}: the description and each input field from the schema. */
  static String help(ActionRuntime.Entry e) throws ActionException {
    StringBuilder s = new StringBuilder();
    s.append(e.command()).append(" - ").append(e.description.isEmpty() ? "(no description)" : e.description)
        .append("\n\nUsage: ").append(e.command()).append(" [key=value ...] | '{JSON}'  [--timeout=SECONDS]")
        .append("\n       plugin:execute ").append(e.plugin).append(' ').append(e.name).append(" ...\n");
    JsonObject schema = Json.provider().createReader(new StringReader(e.schema())).readObject();
    List<String> required = schema.containsKey("required")
        ? schema.getJsonArray("required").getValuesAs(jakarta.json.JsonString.class).stream()
            .map(jakarta.json.JsonString::getString).toList() : List.of();
    JsonObject props = properties(e);
    if (!props.isEmpty()) {
      s.append("\nInput:\n");
      props.forEach((name, v) -> {
        JsonObject p = v instanceof JsonObject o ? o : JsonValue.EMPTY_JSON_OBJECT;
        s.append("  ").append(name).append(" (").append(p.getString("type", "any"))
            .append(required.contains(name) ? ", required" : "").append(")");
        if (p.containsKey("description")) {
          s.append("  ").append(p.getString("description"));
        }
        if (p.containsKey("default")) {
          s.append(" [default: ").append(p.get("default")).append(']');
        }
        if (p.containsKey("enum")) {
          s.append(" [one of: ").append(p.get("enum")).append(']');
        }
        if (p.containsKey("minimum") || p.containsKey("maximum")) {
          s.append(" [").append(p.containsKey("minimum") ? p.get("minimum") : "").append("..")
              .append(p.containsKey("maximum") ? p.get("maximum") : "").append(']');
        }
        s.append('\n');
      });
    }
    s.append("\nTimeout: ").append(e.timeoutSeconds).append(" s");
    return s.toString();
  }
}
