package io.dockevos.launcher;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The Java side of {@code bin/dockevos}: {@code console} (the default), {@code daemon} (what
 * {@code bin/dockevos start} runs in the background), {@code foreground} (a container's entry point:
 * no console, the log on standard output as well, SIGTERM ends it with status 0 once stopped) and
 * {@code run -c CMD}. The script itself
 * handles {@code start}, {@code stop}, {@code status} and {@code client}.
 *
 * @since 0.1
 */
public final class Main {
  /** The process's own error stream, kept for messages after {@code run -c} has silenced the framework. */
  private static final java.io.PrintStream STDERR = System.err;

  private Main() {}

  public static void main(String[] args) {
    String mode = args.length == 0 ? "console" : args[0];
    Path home = Path.of(System.getProperty("dockevos.home", System.getenv().getOrDefault("DOCKEVOS_HOME", ".")))
        .toAbsolutePath().normalize();
    try {
      int status = switch (mode) {
        case "console" -> serve(home, true, false);
        case "daemon" -> serve(home, false, false);
        case "foreground" -> serve(home, false, true);
        case "run" -> run(home, args);
        default -> {
          System.err.println("usage: dockevos [console|start|foreground|stop|status|client 'CMD'|run -c 'CMD']");
          yield 2;
        }
      };
      System.exit(status);
    } catch (IllegalStateException | IOException e) {
      STDERR.println("dockevOS: " + e.getMessage());
      System.exit(1);
    } catch (InterruptedException e) {
      System.exit(130);
    }
  }

  /**
   * Runs until the framework stops: by the console's {@code exit}, by SIGTERM, or by {@code stop}.
   * In the {@code foreground} the log goes to standard output too, and SIGTERM (a container engine's
   * stop) ends the process with status 0 once the framework has stopped within its timeout.
   */
  private static int serve(Path home, boolean console, boolean foreground) throws IOException, InterruptedException {
    Path data = home.resolve("data");
    Files.createDirectories(data);
    Path lockFile = data.resolve("dockevos.lock");
    Path pidFile = data.resolve("dockevos.pid");
    try (FileChannel lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = lockChannel.tryLock()) {
      if (lock == null) {
        String pid = Files.exists(pidFile) ? Files.readString(pidFile).trim() : "?";
        throw new IllegalStateException("dockevOS is already running from " + home + " (pid " + pid + ")");
      }
      if (foreground) {
        System.setProperty(io.dockevos.launcher.internal.LogSetup.STDOUT, "true");
      }
      Thread logging = io.dockevos.launcher.internal.LogSetup.configure(data.resolve("log"), home);
      if (!console) {
        // Before the framework starts: Gogo keeps the System.out it finds as every thread's default.
        io.dockevos.launcher.internal.ConsoleLog.install(data.resolve("log"));
        // No terminal in the background: say so, instead of a warning from JLine in the log.
        System.setProperty("org.jline.terminal.dumb", "true");
      }
      Files.writeString(pidFile, ProcessHandle.current().pid() + "\n", StandardCharsets.UTF_8);
      DockevOS dockevos = DockevOS.builder()
          .home(home)
          .environment()
          .frameworkProperty("gosh.args", console ? "" : "--nointeractive")
          .frameworkProperty(io.dockevos.launcher.internal.Settings.SHELL_FEATURE,
              console ? "dockevos-console" : "dockevos-shell")
          .controlSocket(data.resolve("dockevos.sock"))
          .stopTimeout(Duration.ofSeconds(Long.getLong("dockevos.stop.timeout", 20)))
          .build();
      // SIGTERM (bin/dockevos stop): the JVM exits once this hook returns, maybe before the main
      // thread below gets to delete the PID file, so the hook deletes it as well.
      Thread hook = new Thread(() -> {
        stop(dockevos);
        deleteQuietly(pidFile);
        if (foreground) {
          // Stopped in time: a signal's exit status (143) would tell the engine that it failed.
          System.out.flush();
          Runtime.getRuntime().halt(0);
        }
      }, "dockevos-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      try {
        dockevos.start();
        logging.join();
        dockevos.logReady();
        if (!console) {
          System.out.println("dockevOS ready in " + dockevos.readyMillis() + " ms");
        }
        dockevos.awaitStop();
      } finally {
        Files.deleteIfExists(pidFile);
      }
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is already running
      }
      stop(dockevos);
      return 0;
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // bin/dockevos checks that the pid in it is a live dockevOS JVM
    }
  }

  private static void stop(DockevOS dockevos) {
    try {
      dockevos.close();
    } catch (IllegalStateException e) {
      System.err.println("dockevOS: " + e.getMessage() + "; halting");
      Runtime.getRuntime().halt(1);
    }
  }

  private static void joinQuietly(Thread thread) {
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** {@code run -c CMD}: a fresh instance with its own temporary data, one command, its status. */
  private static int run(Path home, String[] args) throws IOException {
    if (args.length < 3 || !args[1].equals("-c")) {
      System.err.println("usage: dockevos run -c 'COMMAND'");
      return 2;
    }
    String command = String.join(" ", java.util.Arrays.copyOfRange(args, 2, args.length));
    Path temp = Files.createTempDirectory("dockevos-run");
    java.io.PrintStream out = System.out;
    try {
      Thread logging = io.dockevos.launcher.internal.LogSetup.configure(temp.resolve("log"), home);
      // Only the command's output reaches standard output. Bundles that print by themselves (Event
      // Admin does when the framework stops) print to nothing: Gogo keeps the System.out it finds at
      // start as the default of every thread, so it must be silenced before the framework starts.
      java.io.PrintStream quiet = new java.io.PrintStream(java.io.OutputStream.nullOutputStream());
      System.setOut(quiet);
      System.setErr(quiet);
      try (DockevOS dockevos = DockevOS.builder()
          .home(home)
          .environment()
          .frameworkProperty("dockevos.data", temp.toString())
          .deployDir(temp.resolve("deploy"))
          .build()) {
        dockevos.start();
        joinQuietly(logging);
        dockevos.logReady();
        io.dockevos.launcher.internal.Gogo.Outcome outcome =
            io.dockevos.launcher.internal.Gogo.execute(dockevos.bundleContext(), command, out, STDERR,
                io.dockevos.launcher.internal.Gogo.who(null, "run"));
        out.flush();
        return outcome.error() == null ? 0 : 1;
      }
    } finally {
      try (Stream<Path> files = Files.walk(temp)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
