package io.dockevos.core.internal;

import io.dockevos.common.internal.CommandHelp;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

/**
 * {@code help}, as the console and the client have it ({@code etc/gosh_profile}; the client's session
 * likewise): every command with what it does, or one command's help. A dockevOS command's is its
 * {@code --help}; any other's is Felix's own {@code felix:help}.
 */
@Component(configurationPolicy = ConfigurationPolicy.IGNORE, service = HelpCommand.class,
    property = {"osgi.command.scope=dockevos", "osgi.command.function=help"})
public final class HelpCommand {
  private static final int WIDTH = 100;

  @Descriptor("list every command with what it does, or show one command's help")
  public void help(CommandSession session, @Descriptor("a command, such as plugin:install; none lists them all")
      String... command) throws Exception {
    if (command.length == 0) {
      list(session);
      return;
    }
    String name = command[0];
    Object target = target(session, name);
    if (target != null && target.getClass().getName().startsWith("io.dockevos.")) {
      System.out.print(CommandHelp.text(target.getClass(), scoped(session, name)));
    } else if (session.get("felix:help") instanceof org.apache.felix.service.command.Function felix) {
      // Called as itself, not as a command line of its own, which the history would record.
      Object text = felix.execute(session, List.of(name));
      if (text != null) {
        System.out.println(text);
      }
    } else {
      throw new IllegalArgumentException("No help for " + name + ": it is no command");
    }
  }

  @SuppressWarnings("unchecked")
  private static void list(CommandSession session) {
    Set<String> names = new TreeSet<>((Set<String>) session.get(".commands"));
    List<String[]> rows = new ArrayList<>();
    for (String name : names) {
      Object target = target(session, name);
      String what = target == null ? "" : CommandHelp.summary(target.getClass(), name);
      rows.add(new String[] {name, what.length() > WIDTH ? what.substring(0, WIDTH - 3) + "..." : what});
    }
    int width = rows.stream().mapToInt(r -> r[0].length()).max().orElse(0);
    for (String[] r : rows) {
      System.out.println(r[1].isEmpty() ? r[0] : r[0] + " ".repeat(width - r[0].length() + 2) + r[1]);
    }
    System.out.println();
    System.out.println("COMMAND --help (or help COMMAND) shows a command's usage, options and an example.");
  }

  /** @return the object behind a command (Gogo's proxy's target), or {@code null} */
  private static Object target(CommandSession session, String name) {
    Object f = session.get(name.contains(":") ? name : "*:" + name);
    if (f instanceof org.apache.felix.gogo.runtime.CommandProxy proxy) {
      return proxy.getTarget();
    }
    return null;
  }

  /** @return the command's name with its scope, as the session finds it */
  @SuppressWarnings("unchecked")
  private static String scoped(CommandSession session, String name) {
    if (name.contains(":")) {
      return name;
    }
    Object target = target(session, name);
    for (String n : (Set<String>) session.get(".commands")) {
      if (n.endsWith(":" + name) && target(session, n) == target) {
        return n;
      }
    }
    return name;
  }
}
