package io.dockevos.common.internal;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;

/**
 * The help of a dockevOS command, {@code scope:function --help} (or {@code -h}): what it does, its
 * usage, its options and arguments, read from the command's own {@link Descriptor} and
 * {@link org.apache.felix.service.command.Parameter} annotations, and an example from the bundle's
 * {@value #EXAMPLES}. Every command method takes the option
 * {@code @Parameter(names = {"-h", "--help"}) boolean help} and, when it is set, prints this and
 * returns.
 */
public final class CommandHelp {
  /** The examples of a bundle's commands: {@code scope:function = example[ | another]}. */
  public static final String EXAMPLES = "/dockevos-help.properties";
  private static final String HELP = "--help";

  private CommandHelp() {}

  /** Prints the help of {@code command} ({@code scope:function}), whose methods are in {@code commands}' class. */
  public static void print(Object commands, String command) {
    System.out.print(text(commands.getClass(), command));
  }

  /**
   * A command typed without the arguments it needs: its help with {@code --help}, else an error
   * that says how to get it (Gogo's own would be "Cannot coerce ...").
   */
  public static void withoutArguments(Object commands, String command, boolean help) {
    if (!help) {
      throw new IllegalArgumentException(command + " needs arguments: " + command + " --help shows what it takes");
    }
    print(commands, command);
  }

  /**
   * For a command that passes its words on (a container's or a job's command line), which may hold a
   * {@code -h} of their own: help only when {@code --help} or {@code -h} is the one word.
   */
  public static boolean asked(String... words) {
    return words != null && words.length == 1 && (HELP.equals(words[0]) || "-h".equals(words[0]));
  }

  /** @return whether the method is only the help of a command typed without its arguments */
  private static boolean helpOnly(Method m) {
    int names = m.getName().equals("_main") ? 1 : 0; // Gogo gives _main the command's name
    for (Parameter p : m.getParameters()) {
      org.apache.felix.service.command.Parameter o = p.getAnnotation(org.apache.felix.service.command.Parameter.class);
      if (o == null ? p.getType() != String.class || names-- <= 0 : !List.of(o.names()).contains(HELP)) {
        return false;
      }
    }
    return true;
  }

  /** @return the first line of what {@code command} does, as its method says; empty when it says nothing */
  public static String summary(Class<?> type, String command) {
    return methods(type, command).stream().map(m -> m.getAnnotation(Descriptor.class)).filter(d -> d != null)
        .map(d -> d.value().lines().findFirst().orElse("")).findFirst().orElse("");
  }

  /**
   * @return the methods Gogo calls for {@code command} ({@code scope:function}), fewest parameters
   *     first, without the one that only gives the help of a command typed without its arguments
   */
  private static List<Method> methods(Class<?> type, String command) {
    String function = command.substring(command.indexOf(':') + 1);
    List<Method> methods = new ArrayList<>();
    List<Method> mains = new ArrayList<>();
    for (Method m : type.getMethods()) {
      String name = m.getName();
      if (helpOnly(m)) {
        continue;
      }
      if (name.equalsIgnoreCase(function) || name.equalsIgnoreCase("_" + function)) {
        methods.add(m);
      } else if (name.equals("_main")) {
        mains.add(m); // a class of one command: Gogo calls _main whatever its name
      }
    }
    if (methods.isEmpty()) {
      methods = mains;
    }
    methods.sort((a, b) -> Integer.compare(a.getParameterCount(), b.getParameterCount()));
    return methods;
  }

  /** @return the help of {@code command}, whose methods are in {@code type} */
  public static String text(Class<?> type, String command) {
    List<Method> methods = methods(type, command);
    StringBuilder s = new StringBuilder();
    String description = methods.stream().map(m -> m.getAnnotation(Descriptor.class)).filter(d -> d != null)
        .map(Descriptor::value).findFirst().orElse("");
    s.append(command).append(description.isEmpty() ? "" : " - " + description).append("\n\nUsage:\n");
    Map<String, String> options = new LinkedHashMap<>();
    Map<String, String> arguments = new LinkedHashMap<>();
    for (Method m : methods) {
      StringBuilder usage = new StringBuilder("  ").append(command);
      boolean hasOptions = false;
      boolean named = !m.getName().equals("_main"); // Gogo gives _main the command's name first
      for (Parameter p : m.getParameters()) {
        if (CommandSession.class.isAssignableFrom(p.getType())) {
          continue;
        }
        if (!named && p.getAnnotation(org.apache.felix.service.command.Parameter.class) == null) {
          named = true;
          continue;
        }
        Descriptor d = p.getAnnotation(Descriptor.class);
        org.apache.felix.service.command.Parameter o = p.getAnnotation(org.apache.felix.service.command.Parameter.class);
        if (o != null) {
          hasOptions = true;
          boolean flag = org.apache.felix.service.command.Parameter.UNSPECIFIED.equals(o.presentValue()) ? false
              : true;
          String names = String.join(", ", o.names()) + (flag ? "" : " " + placeholder(p));
          if (!List.of(o.names()).contains(HELP)) {
            options.putIfAbsent(names, d == null ? "" : d.value());
          }
        } else {
          String name = placeholder(p) + (p.isVarArgs() || p.getType().isArray() ? "..." : "");
          usage.append(' ').append(name);
          arguments.putIfAbsent(name, d == null ? "" : d.value());
        }
      }
      if (hasOptions) {
        usage.insert(2 + command.length(), " [OPTIONS]");
      }
      s.append(usage).append('\n');
    }
    options.put("-h, --help", "shows this help");
    s.append("\nOptions:\n");
    table(s, options);
    if (!arguments.isEmpty()) {
      s.append("\nArguments:\n");
      table(s, arguments);
    }
    String examples = examples(type).getProperty(command);
    if (examples != null && !examples.isBlank()) {
      s.append("\nExample:\n");
      for (String e : examples.split("\\s*\\|\\s*")) {
        s.append("  ").append(e.strip()).append('\n');
      }
    }
    return s.toString();
  }

  private static String placeholder(Parameter p) {
    String name = p.isNamePresent() ? p.getName() : p.getType().getSimpleName();
    return name.replaceAll("([a-z])([A-Z])", "$1-$2").toUpperCase(Locale.ROOT);
  }

  private static void table(StringBuilder s, Map<String, String> rows) {
    int width = rows.keySet().stream().mapToInt(String::length).max().orElse(0);
    rows.forEach((k, v) -> s.append("  ").append(k).append(" ".repeat(width - k.length() + 2)).append(v).append('\n'));
  }

  private static Properties examples(Class<?> type) {
    Properties p = new Properties();
    try (InputStream in = type.getResourceAsStream(EXAMPLES)) {
      if (in != null) {
        p.load(new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      // no examples
    }
    return p;
  }
}
