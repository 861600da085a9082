package io.dockevos.plugin.internal;

import io.dockevos.external.ExternalPlugin;
import io.dockevos.external.ExternalPluginException;
import io.dockevos.external.ExternalPlugins;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
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

  /**
   * {@code plugin:install URL} of one {@code http(s):} or {@code file:} URL while the feature runs: the
   * URL is fetched once, by {@code sources} (the one download, with what the user vouches for); when
   * the download is an archive holding a {@code plugin.yaml}, it is an external plugin's and is
   * installed as one; anything else goes on to {@code bundles}, the install pipeline of bundle
   * plugins, which takes the same file instead of downloading it again.
   *
   * @param dryRun whether the command only plans: an external plugin's archive is then refused, as
   *     a plan holds bundle plugins only
   * @param bundles installs the sources as bundle plugins
   */
  static void install(ExternalPlugins external, Sources sources, List<String> named, boolean grant, boolean dryRun,
      PrintStream out, Runnable bundles) {
    String url = named.size() == 1 ? named.get(0) : null;
    if (external == null || url == null || !isUrl(url)) {
      bundles.run();
      return;
    }
    Sources.Fetched fetched = fetch(sources, url);
    try {
      if (!external.isExternal(fetched.file())) {
        try (Sources.Scope ready = sources.prefetched(url, fetched.file())) {
          bundles.run();
        }
        return;
      }
      if (dryRun) {
        throw dryRun(url);
      }
      ExternalPlugin p = call(fetched, url, file -> external.install(file, grant));
      out.println("Installed external plugin " + p.name() + " " + p.version() + " from " + url + ": "
          + io.dockevos.common.internal.ExternalPluginViews.state(p));
    } finally {
      fetched.discard();
    }
  }

  /** @return the error of {@code plugin:install --dry-run} of an external plugin, which a plan cannot hold */
  static IllegalArgumentException dryRun(String source) {
    return new IllegalArgumentException("plugin:install --dry-run plans bundle plugins only, and " + source + " is an"
        + " external plugin (it holds a plugin.yaml); install it without --dry-run");
  }

  static void install(ExternalPlugins external, Path source, boolean grant, PrintStream out) {
    ExternalPlugin p = call(() -> external.install(source, grant));
    out.println("Installed external plugin " + p.name() + " " + p.version() + ": " + io.dockevos.common.internal.ExternalPluginViews.state(p));
  }

  /**
   * {@code plugin:update NAME SOURCE} of an external plugin.
   *
   * @return whether {@code ref} names an external plugin (and no bundle plugin does), which is then updated
   */
  static boolean update(ExternalPlugins external, Sources sources, String ref, boolean bundlePlugin, Path home,
      String source, boolean grant, PrintStream out) {
    if (external == null || bundlePlugin || external.plugin(ref).isEmpty()) {
      return false;
    }
    if (source == null) {
      throw new IllegalArgumentException("plugin:update of the external plugin " + ref + " takes the folder or archive"
          + " of its new version: plugin:update " + ref + " DIR|ARCHIVE|URL");
    }
    ExternalPlugin p;
    if (isUrl(source)) {
      Sources.Fetched fetched = fetch(sources, source);
      try {
        p = call(fetched, source, file -> external.update(ref, file, grant));
      } finally {
        fetched.discard();
      }
    } else {
      p = call(() -> external.update(ref, home.resolve(source), grant));
    }
    out.println("Updated external plugin " + p.name() + " to " + p.version() + ": "
        + io.dockevos.common.internal.ExternalPluginViews.state(p));
    return true;
  }

  /** @return whether {@code ref} names an external plugin (and no bundle plugin does), which is then shown */
  static boolean info(ExternalPlugins external, String ref, boolean bundlePlugin, boolean json, PrintStream out) {
    if (external == null || bundlePlugin) {
      return false;
    }
    java.util.Optional<ExternalPlugin> p = external.plugin(ref);
    if (p.isEmpty()) {
      return false;
    }
    if (json) {
      out.println(io.dockevos.common.internal.Json.pretty(io.dockevos.common.internal.ExternalPluginViews.toMap(p.get())));
    } else {
      io.dockevos.common.internal.ExternalPluginViews.info(out, p.get());
      out.println("Folder:      " + p.get().folder());
      out.println("(external:info " + ref + " shows its configuration too)");
    }
    return true;
  }

  /** @return whether {@code ref} names an external plugin (and no bundle plugin does), which {@code op} then changed */
  static boolean lifecycle(ExternalPlugins external, String ref, boolean bundlePlugin, Op op, PrintStream out) {
    if (external == null || bundlePlugin || external.plugin(ref).isEmpty()) {
      return false;
    }
    ExternalPlugin p = call(() -> op.apply(external, ref));
    out.println(p == null ? "Uninstalled external plugin " + ref : p.name() + ": " + io.dockevos.common.internal.ExternalPluginViews.state(p));
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
    io.dockevos.common.internal.ExternalPluginViews.table(out, all);
  }

  private static boolean isUrl(String source) {
    return source.matches("(?i)^(https?|file):.*");
  }

  /** Fetches a URL as plugin:install fetches it: the one download, with what the user vouches for. */
  private static Sources.Fetched fetch(Sources sources, String url) {
    try {
      return sources.fetch(url);
    } catch (io.dockevos.plugin.PluginException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /** What is done with a downloaded external plugin. */
  @FunctionalInterface
  private interface OnFile {
    ExternalPlugin apply(Path file) throws ExternalPluginException;
  }

  /** Runs {@code action} on the download of {@code url}; its error names the URL rather than the download's file. */
  private static ExternalPlugin call(Sources.Fetched fetched, String url, OnFile action) {
    try {
      return action.apply(fetched.file());
    } catch (ExternalPluginException e) {
      throw new IllegalStateException(io.dockevos.common.internal.VouchedDownloads.aboutUrl(e.getMessage(),
          fetched.file(), url), e);
    }
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
