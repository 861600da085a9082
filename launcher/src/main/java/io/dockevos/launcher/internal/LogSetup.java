package io.dockevos.launcher.internal;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.util.FileSize;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/**
 * Sets up the one dockevOS log, {@code data/log/dockevos.log}, rotated at 10 MB into the last seven
 * {@code dockevos.N.log.gz}, with secrets masked ({@link RedactingLayout}).
 *
 * <p>The default is built in code: Logback's XML configurator alone takes about 300 ms at start.
 * An {@code etc/logback.xml} in the home takes over entirely. Levels per logger or bundle live in
 * {@code etc/dockevos.log.cfg}, which the core bundle applies.
 */
public final class LogSetup {
  public static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSxxx} %-5level [%thread] %logger{36} - %msg%n";

  private LogSetup() {}

  /**
   * Sets the log up for the command line, on a thread of its own: Logback takes about 170 ms to
   * start, which the framework's own start overlaps on a second core. Whatever logs meanwhile is
   * held by SLF4J and written once the log is up. Join the returned thread before relying on the
   * log file.
   */
  public static Thread configure(Path logDir, Path home) {
    System.setProperty(LOG_DIR, logDir.toString());
    Path xml = home.resolve("etc/logback.xml");
    if (System.getProperty("logback.configurationFile") == null && Files.isRegularFile(xml)) {
      System.setProperty("logback.configurationFile", xml.toString());
    }
    // SLF4J would announce on standard error that it replays what was logged meanwhile.
    System.setProperty("slf4j.internal.verbosity", "ERROR");
    // Named, the provider is loaded directly instead of through a service loader search of the class path.
    if (System.getProperty("slf4j.provider") == null) {
      System.setProperty("slf4j.provider", "ch.qos.logback.classic.spi.LogbackServiceProvider");
    }
    Thread thread = new Thread(() -> {
      LoggerFactory.getILoggerFactory();
      // java.util.logging users reach the same log.
      org.slf4j.bridge.SLF4JBridgeHandler.removeHandlersForRootLogger();
      org.slf4j.bridge.SLF4JBridgeHandler.install();
      JvmStart.millis();
    }, "dockevos-log-setup");
    thread.start();
    return thread;
  }

  /**
   * The system property that sends the log to standard output as well as to the file, in the same
   * layout ({@code bin/dockevos foreground}, a container's entry point).
   */
  public static final String STDOUT = "dockevos.log.stdout";

  /** The system property that names the log folder; only the command line sets it. */
  public static final String LOG_DIR = "dockevos.log.dir";

  /**
   * Logback's configurator for the command line (found through the service loader): the rolling
   * file, built in code. When {@value #LOG_DIR} is not set (a program that embeds dockevOS) or an
   * XML configuration is named, it steps aside and Logback configures itself as usual.
   */
  public static final class Configurator extends ch.qos.logback.core.spi.ContextAwareBase
      implements ch.qos.logback.classic.spi.Configurator {
    @Override
    public ExecutionStatus configure(LoggerContext context) {
      String dir = System.getProperty(LOG_DIR);
      if (dir == null || System.getProperty("logback.configurationFile") != null) {
        return ExecutionStatus.NEUTRAL;
      }
      Path logDir = Path.of(dir);
      RollingFileAppender<ILoggingEvent> file = new RollingFileAppender<>();
      file.setContext(context);
      file.setName("FILE");
      file.setFile(logDir.resolve("dockevos.log").toString());
      // Rotation by size: a date in the file pattern costs Logback about 150 ms more at start.
      FixedWindowRollingPolicy rolling = new FixedWindowRollingPolicy();
      rolling.setContext(context);
      rolling.setParent(file);
      rolling.setFileNamePattern(logDir.resolve("dockevos.%i.log.gz").toString());
      rolling.setMinIndex(1);
      rolling.setMaxIndex(7);
      rolling.start();
      file.setRollingPolicy(rolling);
      SizeBasedTriggeringPolicy<ILoggingEvent> trigger = new SizeBasedTriggeringPolicy<>();
      trigger.setContext(context);
      trigger.setMaxFileSize(FileSize.valueOf("10MB"));
      trigger.start();
      file.setTriggeringPolicy(trigger);
      // Secrets masked in every line, whoever logs it.
      RedactingLayout layout = new RedactingLayout();
      layout.setContext(context);
      layout.setPattern(PATTERN);
      layout.start();
      LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
      encoder.setContext(context);
      encoder.setLayout(layout);
      encoder.start();
      file.setEncoder(encoder);
      file.start();
      ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
      root.setLevel(Level.INFO);
      root.addAppender(file);
      if (Boolean.getBoolean(STDOUT)) {
        // The same lines on standard output, for a container engine's log (podman logs, kubectl logs).
        RedactingLayout stdoutLayout = new RedactingLayout();
        stdoutLayout.setContext(context);
        stdoutLayout.setPattern(PATTERN);
        stdoutLayout.start();
        LayoutWrappingEncoder<ILoggingEvent> stdoutEncoder = new LayoutWrappingEncoder<>();
        stdoutEncoder.setContext(context);
        stdoutEncoder.setLayout(stdoutLayout);
        stdoutEncoder.start();
        ch.qos.logback.core.ConsoleAppender<ILoggingEvent> stdout = new ch.qos.logback.core.ConsoleAppender<>();
        stdout.setContext(context);
        stdout.setName("STDOUT");
        stdout.setEncoder(stdoutEncoder);
        stdout.start();
        root.addAppender(stdout);
      }
      // Framework events are logged under Events.*: too much at INFO.
      context.getLogger("Events").setLevel(Level.WARN);
      return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
  }
}
