package io.dockevos.launcher.internal;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * Runs Gogo commands through the {@code CommandProcessor} service. The Gogo API lives in the
 * gogo.runtime bundle, not on the launcher's class path, so it is called through reflection on
 * the classes of that bundle; only java.* types cross.
 */
public final class Gogo {
  private static final String PROCESSOR = "org.apache.felix.service.command.CommandProcessor";
  private static final String SESSION = "org.apache.felix.service.command.CommandSession";
  /** {@code Converter.INSPECT}: the full format that the console prints a result in. */
  private static final int INSPECT = 0;

  /** @param value the value the command returned @param error why it failed, or null */
  public record Outcome(Object value, String error) {}

  private Gogo() {}

  /**
   * The session variables that tell the system log who runs a command and from where
   * ({@code io.dockevos.systemlog.CommandHistory.SESSION_USER} and {@code SESSION_ORIGIN}; the
   * launcher does not see the API bundle, so the names are repeated here).
   */
  public static final String USER = "dockevos.user";
  public static final String ORIGIN = "dockevos.origin";

  /**
   * Where a command typed without its scope is looked for, in order (Gogo's {@code SCOPE}): Gogo's
   * own, then the plugin manager's, then any. So {@code install}, {@code start}, {@code stop},
   * {@code update}, {@code uninstall}, {@code list} and {@code info} are the {@code plugin:}
   * commands, whatever else registers the same names ({@code felix:}, {@code feature:}). The
   * console's {@code etc/gosh_profile} sets the same.
   */
  public static final String SCOPE_PATH = "gogo:plugin:*";

  /** @return the session variables for a command that {@code user} runs from {@code origin} */
  public static java.util.Map<String, Object> who(String user, String origin) {
    return java.util.Map.of(USER, user == null ? System.getProperty("user.name", "?") : user, ORIGIN, origin);
  }

  /**
   * Runs one command line in a new session, writing what it prints and its formatted value to
   * {@code out}, and the error, if any, to {@code err}.
   */
  private static final String FUNCTION = "org.apache.felix.service.command.Function";

  /**
   * @return {@code help} as the console's profile has it ({@code help = { dockevos:help $args }}): the
   *     dockevOS help, which lists every command with what it does, called directly (not as a command
   *     line of its own, which the history would record); Gogo's own where the core bundle is not there
   */
  private static Object help(Class<?> function) {
    return java.lang.reflect.Proxy.newProxyInstance(function.getClassLoader(), new Class<?>[] {function},
        (proxy, method, args) -> {
          if (!method.getName().equals("execute")) {
            return method.getName().equals("toString") ? "help" : method.getName().equals("hashCode")
                ? System.identityHashCode(proxy) : method.getName().equals("equals") ? proxy == args[0] : null;
          }
          Object session = args[0];
          Method get = session.getClass().getMethod("get", String.class);
          Object help = get.invoke(session, "dockevos:help");
          if (help == null) {
            help = get.invoke(session, "felix:help");
          }
          try {
            return method.invoke(help, args); // Function.execute(session, arguments) of the help found
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  public static Outcome execute(BundleContext context, String command, OutputStream out, OutputStream err) {
    return execute(context, command, out, err, java.util.Map.of());
  }

  /** As {@link #execute(BundleContext, String, OutputStream, OutputStream)}, with these session variables set first. */
  public static Outcome execute(BundleContext context, String command, OutputStream out, OutputStream err,
      java.util.Map<String, Object> variables) {
    ServiceReference<?> ref = reference(context, PROCESSOR);
    if (ref == null) {
      return fail(err, "the Gogo shell is not running (no CommandProcessor service)");
    }
    Object processor = context.getService(ref);
    if (processor == null) {
      return fail(err, "the Gogo shell is stopping");
    }
    PrintStream pout = new PrintStream(out, true, StandardCharsets.UTF_8);
    PrintStream perr = new PrintStream(err, true, StandardCharsets.UTF_8);
    Object session = null;
    Method close = null;
    try {
      Class<?> processorType = ref.getBundle().loadClass(PROCESSOR);
      Class<?> sessionType = ref.getBundle().loadClass(SESSION);
      close = sessionType.getMethod("close");
      session = processorType.getMethod("createSession", java.io.InputStream.class, OutputStream.class, OutputStream.class)
          .invoke(processor, new ByteArrayInputStream(new byte[0]), pout, perr);
      Method put = sessionType.getMethod("put", String.class, Object.class);
      put.invoke(session, "SCOPE", SCOPE_PATH);
      put.invoke(session, "help", help(ref.getBundle().loadClass(FUNCTION)));
      for (java.util.Map.Entry<String, Object> v : variables.entrySet()) {
        put.invoke(session, v.getKey(), v.getValue());
      }
      Object value = sessionType.getMethod("execute", CharSequence.class).invoke(session, command);
      if (value != null) {
        Object text = sessionType.getMethod("format", Object.class, int.class).invoke(session, value, INSPECT);
        pout.println(text);
      }
      pout.flush();
      return new Outcome(value, null);
    } catch (InvocationTargetException e) {
      return fail(perr, explain(command, e.getCause()));
    } catch (ReflectiveOperationException e) {
      return fail(perr, "cannot call the Gogo shell: " + e);
    } finally {
      if (session != null) {
        try {
          close.invoke(session);
        } catch (ReflectiveOperationException ignored) {
          // the session is gone with the shell
        }
      }
      context.ungetService(ref);
    }
  }

  /**
   * The best service of a type, whatever class space it comes from. The launcher's own class path
   * may hold a copy of the API (an embedding program's), which would hide the service from
   * {@code getServiceReference}; the launcher only calls it reflectively, so any will do.
   */
  static ServiceReference<?> reference(BundleContext context, String type) {
    try {
      ServiceReference<?>[] refs = context.getAllServiceReferences(type, null);
      if (refs == null) {
        return null;
      }
      java.util.Arrays.sort(refs, java.util.Collections.reverseOrder());
      return refs[0];
    } catch (org.osgi.framework.InvalidSyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A command's failure in the user's words ({@link io.dockevos.common.internal.ShellErrors}, which the console uses too). */
  static String explain(CharSequence command, Throwable cause) {
    return io.dockevos.common.internal.ShellErrors.explain(command, cause);
  }

  private static Outcome fail(OutputStream err, String message) {
    PrintStream p = err instanceof PrintStream ps ? ps : new PrintStream(err, true, StandardCharsets.UTF_8);
    p.println("Error: " + message);
    p.flush();
    return new Outcome(null, message);
  }
}
