package io.dockevos.launcher.internal;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeAndTimeBasedRollingPolicy;
import ch.qos.logback.core.util.FileSize;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/**
 * Sets up the one dockevOS log, {@code data/log/dockevos.log}, rotated daily and at 10 MB.
 *
 * <p>The default is built in code: Logback's XML configurator takes about 300 ms at start, most of
 * the launcher's own start-up. An {@code etc/logback.xml} in the home takes over entirely. Levels per
 * logger or bundle live in {@code etc/dockevos.log.cfg}, which the core bundle applies.
 */
public final class LogSetup {
  public static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n";

  private LogSetup() {}

  public static void configure(Path logDir, Path home) {
    System.setProperty("dockevos.log.dir", logDir.toString());
    Path xml = home.resolve("etc/logback.xml");
    if (System.getProperty("logback.configurationFile") == null && Files.isRegularFile(xml)) {
      System.setProperty("logback.configurationFile", xml.toString());
    }
    if (System.getProperty("logback.configurationFile") == null) {
      LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
      context.reset();
      RollingFileAppender<ILoggingEvent> file = new RollingFileAppender<>();
      file.setContext(context);
      file.setName("FILE");
      file.setFile(logDir.resolve("dockevos.log").toString());
      SizeAndTimeBasedRollingPolicy<ILoggingEvent> policy = new SizeAndTimeBasedRollingPolicy<>();
      policy.setContext(context);
      policy.setParent(file);
      policy.setFileNamePattern(logDir.resolve("dockevos.%d{yyyy-MM-dd}.%i.log.gz").toString());
      policy.setMaxFileSize(FileSize.valueOf("10MB"));
      policy.setMaxHistory(7);
      policy.setTotalSizeCap(FileSize.valueOf("200MB"));
      policy.start();
      file.setRollingPolicy(policy);
      PatternLayoutEncoder encoder = new PatternLayoutEncoder();
      encoder.setContext(context);
      encoder.setPattern(PATTERN);
      encoder.start();
      file.setEncoder(encoder);
      file.start();
      ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
      root.setLevel(Level.INFO);
      root.addAppender(file);
      // Felix Logback logs every service event under Events.*: too much at INFO.
      context.getLogger("Events").setLevel(Level.WARN);
    }
    // java.util.logging users reach the same log.
    org.slf4j.bridge.SLF4JBridgeHandler.removeHandlersForRootLogger();
    org.slf4j.bridge.SLF4JBridgeHandler.install();
  }
}
