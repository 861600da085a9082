package io.dockevos.console.internal;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.gogo.runtime.CommandSessionImpl;

/**
 * The console's Gogo session. Two differences from Gogo's own:
 * <ul>
 *   <li>A command line that fails throws a {@link ConsoleError}, which the shell prints as
 *       {@code Error: ...}; {@code $exception} (and so {@code e}) is still the failure itself.
 *   <li>{@code .commands} lists the commands in the order of {@code SCOPE} (Gogo's first, then the
 *       plugin manager's, then the rest). gogo.jline's completion takes the first command that ends
 *       with the typed name when {@code SCOPE} ends with {@code *}; in this order that is the command
 *       the shell runs, so {@code start} + TAB completes as {@code plugin:start} does. It is a
 *       plain set, so the profile can ask it {@code $.commands contains NAME} (Gogo cannot call
 *       the methods of the runtime's unmodifiable set on Java 17).
 * </ul>
 */
final class ConsoleSession extends CommandSessionImpl {
  /** The session variable that, true, adds the stack trace to each error the console prints. */
  static final String VERBOSE = "verbose";
  private static final String EXCEPTION = "exception";

  ConsoleSession(CommandProcessorImpl processor, InputStream in, OutputStream out, OutputStream err) {
    super(processor, in, out, err);
  }

  @Override
  public Object execute(CharSequence commandline) throws Exception {
    try {
      return super.execute(commandline);
    } catch (ConsoleError e) {
      throw e;
    } catch (Exception e) {
      throw new ConsoleError(commandline, e, verbose(super.get(VERBOSE)));
    }
  }

  /**
   * @return whether errors show their stack trace: the session variable {@code verbose} when it is
   *     set, else the property {@code dockevos.console.verbose} ({@code bin/dockevos --verbose})
   */
  static boolean verbose(Object variable) {
    return variable == null ? Boolean.getBoolean(VERBOSE_PROPERTY) : Boolean.parseBoolean(String.valueOf(variable));
  }

  /** The system property that {@code bin/dockevos --verbose} sets. */
  static final String VERBOSE_PROPERTY = "dockevos.console.verbose";

  @Override
  public Object put(String name, Object value) {
    return super.put(name, EXCEPTION.equals(name) && value instanceof ConsoleError c ? c.getCause() : value);
  }

  @Override
  public Object get(String name) {
    Object value = super.get(name);
    if (COMMANDS.equals(name) && value instanceof Set<?> commands) {
      return inScopeOrder(commands, String.valueOf(super.get("SCOPE")));
    }
    return value;
  }

  /** @return the commands, those of the first scope of {@code path} first, then the second's, and so on */
  static Set<String> inScopeOrder(Set<?> commands, String path) {
    List<String> scopes = List.of(path.split(":"));
    Comparator<String> byScope = Comparator.comparingInt(c -> {
      int i = scopes.indexOf(c.substring(0, Math.max(0, c.indexOf(':'))));
      return i < 0 ? scopes.size() : i;
    });
    Set<String> ordered = new LinkedHashSet<>();
    commands.stream().map(String::valueOf).sorted(byScope.thenComparing(Comparator.naturalOrder()))
        .forEach(ordered::add);
    return ordered;
  }
}
