package io.dockevos.console.internal;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.felix.gogo.jline.Builtin;
import org.apache.felix.gogo.jline.Converters;
import org.apache.felix.gogo.jline.Posix;
import org.apache.felix.gogo.jline.Procedural;
import org.apache.felix.gogo.jline.Shell;
import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.gogo.runtime.Tokenizer;
import org.apache.felix.gogo.runtime.Token;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.Converter;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Starts the console once Gogo's command processor is there, as gogo.jline's own activator does:
 * its built-in commands (scope {@code gogo}), a terminal, and {@code gosh --login} (which reads
 * {@code etc/gosh_profile}) on a thread of its own. The session is a {@link ConsoleSession}, which
 * words failures as the client does. Ending the console (Ctrl-D) stops the framework.
 */
public final class ConsoleActivator implements BundleActivator {
  private ServiceTracker<CommandProcessor, CommandProcessor> tracker;

  @Override
  public void start(BundleContext context) {
    tracker = new ServiceTracker<>(context, CommandProcessor.class, null) {
      private Console console;

      @Override
      public CommandProcessor addingService(ServiceReference<CommandProcessor> ref) {
        CommandProcessor processor = super.addingService(ref);
        synchronized (this) {
          if (console == null && processor instanceof CommandProcessorImpl impl) {
            console = new Console(context, impl);
          }
        }
        return processor;
      }

      @Override
      public void removedService(ServiceReference<CommandProcessor> ref, CommandProcessor processor) {
        synchronized (this) {
          if (console != null && console.processor == processor) {
            console.stop();
            console = null;
          }
        }
        super.removedService(ref, processor);
      }
    };
    tracker.open();
  }

  @Override
  public void stop(BundleContext context) {
    tracker.close();
  }

  /** One console: the built-in commands' registrations, the terminal and the shell's thread. */
  private static final class Console {
    final CommandProcessorImpl processor;
    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final Shell shell;
    private Terminal terminal;
    private Thread thread;

    Console(BundleContext context, CommandProcessorImpl processor) {
      this.processor = processor;
      registrations.add(context.registerService(Converter.class.getName(),
          new Converters(context.getBundle(0).getBundleContext()), null));
      register(context, new Builtin(), Builtin.class);
      register(context, new Procedural(), Procedural.class);
      register(context, new Posix(processor), Posix.class);
      shell = new Shell(new Shell.Context() {
        @Override
        public String getProperty(String name) {
          return context.getProperty(name);
        }

        @Override
        public void exit() throws Exception {
          context.getBundle(0).stop();
        }
      }, processor);
      register(context, shell, Shell.class);
      // JLine finds its terminal providers through the context class loader.
      ClassLoader jline = TerminalBuilder.class.getClassLoader();
      ClassLoader saved = Thread.currentThread().getContextClassLoader();
      Thread.currentThread().setContextClassLoader(jline);
      try {
        terminal = TerminalBuilder.builder().name("gogo").system(true).nativeSignals(true)
            .signalHandler(Terminal.SignalHandler.SIG_IGN).build();
      } catch (java.io.IOException e) {
        System.err.println("Error: the console has no terminal: " + e.getMessage());
        return;
      } finally {
        Thread.currentThread().setContextClassLoader(saved);
      }
      thread = new Thread(() -> run(context), "Gogo shell");
      thread.setContextClassLoader(jline);
      thread.start();
    }

    private void run(BundleContext context) {
      ConsoleSession session = new ConsoleSession(processor, terminal.input(), terminal.output(), terminal.output());
      try {
        session.put(".terminal", terminal);
        List<String> args = new ArrayList<>(List.of("--login"));
        String more = context.getProperty("gosh.args");
        if (more != null) {
          Tokenizer words = new Tokenizer(more);
          for (Token t = words.next(); t != null; t = words.next()) {
            args.add(t.toString());
          }
        }
        shell.gosh(session, args.toArray(String[]::new));
      } catch (Throwable t) {
        if (!stopping.get()) {
          System.err.println(t instanceof ConsoleError ? t.toString() : "Error: the console failed: " + t.getMessage());
          t.printStackTrace();
        }
      } finally {
        session.close();
      }
    }

    /** Registers gogo.jline's commands of a class under the scope gogo, as its own activator does. */
    private void register(BundleContext context, Object commands, Class<?> type) {
      Dictionary<String, Object> props = new Hashtable<>();
      props.put(CommandProcessor.COMMAND_SCOPE, "gogo");
      props.put(CommandProcessor.COMMAND_FUNCTION, functions(type));
      registrations.add(context.registerService(type.getName(), commands, props));
    }

    /** @return the command names of a gogo.jline class: its (package-private) static {@code functions} */
    private static String[] functions(Class<?> type) {
      try {
        Field f = type.getDeclaredField("functions");
        f.setAccessible(true);
        return (String[]) f.get(null);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("gogo.jline's " + type.getSimpleName() + " names no commands", e);
      }
    }

    void stop() {
      stopping.set(true);
      shell.stop();
      try {
        if (terminal != null) {
          terminal.close();
        }
      } catch (java.io.IOException ignored) {
        // closing anyway
      }
      if (thread != null) {
        thread.interrupt();
        try {
          thread.join(5000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      for (ServiceRegistration<?> r : registrations) {
        try {
          r.unregister();
        } catch (IllegalStateException gone) {
          // unregistered with the bundle
        }
      }
    }
  }
}
