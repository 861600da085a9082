package io.dockevos.plugin.internal;

import io.dockevos.external.ExternalPlugin;
import io.dockevos.external.ExternalPluginException;
import io.dockevos.external.ExternalPlugins;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code plugin:} commands for external plugins, when the feature {@code dockevos-external}
 * runs: {@code plugin:install} of a folder (or archive) with a {@code plugin.yaml}, the lifecycle
 * commands of a name that only an external plugin has, and their table after {@code plugin:list}'s.
 * Without the feature, nothing changes.
 */
final class ExternalDelegate {
  private ExternalDelegate() {}

  /** What a lifecycle command does to an external plugin. */
  @FunctionalInterface
  interface Op {
    ExternalPlugin apply(ExternalPlugins plugins, String name) throws ExternalPluginException;
  }

  /** @return the plugin a single source names, as a path from the home, when it is an external plugin's */
  static Path externalSource(ExternalPlugins external, Path home, List<String> sources) {
    if (external == null || sources.size() != 1) {
      return null;
    }
    try {
      Path p = home.resolve(sources.get(0));
      return Files.exists(p) && external.isExternal(p) ? p : null;
    } catch (InvalidPathException notAPath) {
      return null;
    }
  }

  static void install(ExternalPlugins external, Path source, PrintStream out) {
    ExternalPlugin p = call(() -> external.install(source));
    out.println("Installed external plugin " + p.name() + " " + p.version() + ": " + state(p));
  }

  /** @return whether {@code ref} names an external plugin (and no bundle plugin does), which {@code op} then changed */
  static boolean lifecycle(ExternalPlugins external, String ref, boolean bundlePlugin, Op op, PrintStream out) {
    if (external == null || bundlePlugin || external.plugin(ref).isEmpty()) {
      return false;
    }
    ExternalPlugin p = call(() -> op.apply(external, ref));
    out.println(p == null ? "Uninstalled external plugin " + ref : p.name() + ": " + state(p));
    return true;
  }

  /** The external plugins' table, after plugin:list's: kind, state, pid, restarts, uptime, tools. */
  static void list(ExternalPlugins external, PrintStream out, boolean afterOthers) {
    List<ExternalPlugin> all = external == null ? List.of() : external.plugins();
    if (all.isEmpty()) {
      return;
    }
    if (afterOthers) {
      out.println();
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"Name", "Version", "Kind", "State", "Pid", "Restarts", "Uptime", "Tools"});
    for (ExternalPlugin p : all) {
      rows.add(new String[] {p.name(), p.version(), "external", p.state() + (p.enabled() ? "" : " (disabled)"),
          p.pid() > 0 ? String.valueOf(p.pid()) : "-", String.valueOf(p.restarts()), uptime(p.startedAt()),
          String.join(", ", p.tools())});
    }
    io.dockevos.common.internal.Tables.print(out, rows);
  }

  private static String state(ExternalPlugin p) {
    return p.state() + (p.pid() > 0 ? " (pid " + p.pid() + ", tools: " + String.join(", ", p.tools()) + ")" : "")
        + (p.reason() == null ? "" : ": " + p.reason());
  }

  private static String uptime(Instant since) {
    if (since == null) {
      return "-";
    }
    long s = Duration.between(since, Instant.now()).toSeconds();
    return s < 60 ? s + "s" : s < 3600 ? s / 60 + "m" + s % 60 + "s" : s / 3600 + "h" + s % 3600 / 60 + "m";
  }

  @FunctionalInterface
  private interface Call<T> {
    T run() throws ExternalPluginException;
  }

  private static <T> T call(Call<T> c) {
    try {
      return c.run();
    } catch (ExternalPluginException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }
}
