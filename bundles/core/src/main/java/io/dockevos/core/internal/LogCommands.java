package io.dockevos.core.internal;

import io.dockevos.api.Host;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;

/** {@code log:tail} and {@code log:level}: read the dockevOS log and set levels at run time. */
@Component(configurationPolicy = ConfigurationPolicy.IGNORE, service = LogCommands.class, property = {
    "osgi.command.scope=log", "osgi.command.function=tail", "osgi.command.function=level"})
public final class LogCommands {
  private final BundleContext context;
  private final LogLevels levels;
  private final Path logFile;

  @Activate
  public LogCommands(BundleContext context, @Reference LogLevels levels) {
    this.context = context;
    this.levels = levels;
    String dir = context.getProperty(Host.LOG_DIR_PROPERTY);
    this.logFile = Path.of(dir == null ? "data/log" : dir, "dockevos.log");
  }

  @Descriptor("show the end of the dockevOS log; -f follows it until Ctrl-C")
  public void tail(
      @Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
          absentValue = "false") boolean help,
      @Descriptor("number of lines") @Parameter(names = {"-n", "--lines"}, absentValue = "20") int lines,
      @Descriptor("keep printing new lines") @Parameter(names = {"-f", "--follow"}, presentValue = "true",
          absentValue = "false") boolean follow) throws IOException, InterruptedException {
    if (help) {
      io.dockevos.common.internal.CommandHelp.print(this, "log:tail");
      return;
    }
    PrintStream out = System.out;
    if (lines < 0) {
      throw new IllegalArgumentException("log:tail -n " + lines + ": the number of lines cannot be negative; for"
          + " example log:tail -n 50");
    }
    if (!Files.exists(logFile)) {
      throw new IllegalStateException("no log file at " + logFile);
    }
    long position;
    try (RandomAccessFile file = new RandomAccessFile(logFile.toFile(), "r")) {
      position = file.length();
      for (String line : lastLines(file, lines)) {
        out.println(line);
      }
    }
    out.flush();
    while (follow && !Thread.currentThread().isInterrupted()) {
      Thread.sleep(200);
      long size = Files.size(logFile);
      if (size < position) {
        position = 0; // rotated
      }
      if (size > position) {
        try (RandomAccessFile file = new RandomAccessFile(logFile.toFile(), "r")) {
          file.seek(position);
          byte[] bytes = new byte[(int) Math.min(size - position, 1 << 20)];
          file.readFully(bytes);
          position += bytes.length;
          out.print(new String(bytes, StandardCharsets.UTF_8));
          out.flush();
        }
      }
    }
  }

  static List<String> lastLines(RandomAccessFile file, int count) throws IOException {
    long length = file.length();
    long start = Math.max(0, length - Math.max(count, 1) * 400L);
    Deque<String> lines = new ArrayDeque<>();
    while (true) {
      file.seek(start);
      byte[] bytes = new byte[(int) (length - start)];
      file.readFully(bytes);
      String[] split = new String(bytes, StandardCharsets.UTF_8).split("\n", -1);
      lines.clear();
      int from = start == 0 ? 0 : 1; // the first piece may be part of a line
      for (int i = from; i < split.length; i++) {
        if (i < split.length - 1 || !split[i].isEmpty()) {
          lines.addLast(split[i]);
        }
      }
      if (lines.size() >= count || start == 0) {
        break;
      }
      start = Math.max(0, start - Math.max(count, 1) * 400L);
    }
    while (lines.size() > count) {
      lines.removeFirst();
    }
    return new ArrayList<>(lines);
  }

  @Descriptor("show the log levels that are set, or the level of a logger or bundle, or set it until restart (etc/dockevos.log.cfg keeps levels)")
  public String level(
      @Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
          absentValue = "false") boolean help,
      @Descriptor("a logger name, or a bundle symbolic name or id; omit to list the levels that are set")
          String... args) {
    if (help) {
      io.dockevos.common.internal.CommandHelp.print(this, "log:level");
      return null;
    }
    boolean logback = LogbackLevels.available();
    if (args.length < 2 && !logback) {
      return "The logging backend is the embedding program's own, not Logback: its levels are set there."
          + " log:level NAME LEVEL sets the level of a bundle's OSGi loggers.";
    }
    if (args.length == 0) {
      StringBuilder out = new StringBuilder(String.format("%-50s %s%n", "Logger", "Level"));
      LogbackLevels.levels().forEach((logger, level) -> out.append(String.format("%-50s %s%n", logger, level)));
      return out.toString().stripTrailing();
    }
    if (args.length == 1) {
      Bundle bundle = LogLevels.bundle(context, args[0]);
      String name = bundle == null ? args[0] : bundle.getSymbolicName();
      return name + " " + LogbackLevels.effective(name);
    }
    String level = LogLevels.parse(args[1]);
    String name = levels.set(args[0], level);
    return name + " set to " + (level == null ? "the inherited level" : level);
  }
}
