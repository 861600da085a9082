package io.dockevos.plugin.internal;

import io.dockevos.common.internal.Json;
import io.dockevos.common.internal.TimeFormat;
import io.dockevos.install.Change;
import io.dockevos.install.Installer;
import io.dockevos.plugin.Plugin;
import io.dockevos.plugin.PluginException;
import io.dockevos.plugin.PluginManager;
import io.dockevos.plugin.PluginState;
import io.dockevos.plugin.StatefulPlugin;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dev loop: {@code plugin:watch} watches a plugin's jar (a project's {@code target/*.jar}) and,
 * each time a build has written a new, complete jar there, updates the running plugin from it through
 * the update plan of {@code plugin:update}, which carries its state across ({@link StatefulPlugin})
 * and rolls back when the new version fails. One line says that the new version serves, and how long
 * after the jar was saved; a broken jar gets a line naming the file and the cause, and the running
 * version keeps serving. Watches live as long as the runtime runs (the component is immediate: a
 * delayed one would be dropped, with its watches, when no command holds it). The framework property
 * {@value #WATCH_PROPERTY} (set by {@code bin/dockevos dev}) names a jar to watch from the start.
 */
@Component(configurationPolicy = ConfigurationPolicy.IGNORE, service = PluginWatches.class, immediate = true, property = {
    "osgi.command.scope=plugin", "osgi.command.function=watch", "osgi.command.function=unwatch",
    "osgi.command.function=watches"})
public final class PluginWatches {
  private static final Logger LOG = LoggerFactory.getLogger(PluginWatches.class);
  /** A jar to install (or take, if its plugin is installed) and watch at start: {@code bin/dockevos dev} sets it. */
  static final String WATCH_PROPERTY = "dockevos.watch";
  static final long POLL_MILLIS = 100;

  /** A watched jar and the plugin it updates, by symbolic name; the last outcome, for {@code plugin:watches}. */
  private static final class Watched {
    final JarWatch jar;
    final String plugin;
    final Instant since = Instant.now();
    volatile int reloads;
    volatile String last = "";

    Watched(Path file, String plugin, boolean pending) {
      this.jar = new JarWatch(file, pending);
      this.plugin = plugin;
    }
  }

  private final BundleContext context;
  private final PluginManager plugins;
  private final Installer installer;
  private final Path home;
  /** By the jar's absolute path. */
  private final Map<Path, Watched> watches = new ConcurrentHashMap<>();
  /** Its thread runs only while something is watched (or a watch is being set up), then ends. */
  private final java.util.concurrent.ScheduledThreadPoolExecutor poller =
      new java.util.concurrent.ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "dockevos-plugin-watch");
        t.setDaemon(true);
        return t;
      });
  /** The periodic look at the watched jars, while there are any. */
  private java.util.concurrent.ScheduledFuture<?> polling;
  /** Where a reload is told: the runtime's standard output (the console's terminal, or data/log/console.log). */
  private final PrintStream out = System.out;

  @Activate
  public PluginWatches(BundleContext context, @Reference PluginManager plugins, @Reference Installer installer) {
    this.context = context;
    this.plugins = plugins;
    this.installer = installer;
    String h = context.getProperty(io.dockevos.api.Host.HOME_PROPERTY);
    this.home = Path.of(h == null ? "." : h).toAbsolutePath().normalize();
    poller.setKeepAliveTime(5, TimeUnit.SECONDS);
    poller.allowCoreThreadTimeOut(true);
    poller.setRemoveOnCancelPolicy(true);
    String atStart = context.getProperty(WATCH_PROPERTY);
    if (atStart != null && !atStart.isBlank()) {
      poller.execute(() -> {
        try {
          out.println(watch(atStart.trim(), null, "dev"));
        } catch (PluginException | RuntimeException e) {
          out.println("Cannot watch " + atStart + ": " + e.getMessage());
          LOG.error("Cannot watch {}: {}", atStart, e.getMessage());
        }
      });
    }
  }

  @Deactivate
  void stop() {
    poller.shutdownNow();
  }

  @Descriptor("watch a plugin's jar (a project's target/*.jar): each new complete jar a build writes there updates the"
      + " running plugin, keeping its state (StatefulPlugin); a jar not installed yet is installed first")
  public void watch(CommandSession session,
      @Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
          absentValue = "false") boolean help,
      @Descriptor("the plugin (id, name or name/version), or the jar (a path, relative to the dockevOS home)")
          String pluginOrJar,
      @Descriptor("the jar to watch for that plugin; without it, the file it was installed from") String... jar) {
    if (help) {
      io.dockevos.common.internal.CommandHelp.print(this, "plugin:watch");
      return;
    }
    if (jar.length > 1) {
      throw new IllegalArgumentException("plugin:watch takes a plugin or a jar, and optionally the jar: plugin:watch"
          + " ID|JAR [JAR]; not " + jar.length + " more words");
    }
    try {
      System.out.println(watch(pluginOrJar, jar.length == 1 ? jar[0] : null, PluginCommands.who(session)));
    } catch (PluginException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /** {@code plugin:watch} without its arguments: its help with {@code --help}, else what it needs. */
  public void watch(@Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
      absentValue = "false") boolean help) {
    io.dockevos.common.internal.CommandHelp.withoutArguments(this, "plugin:watch", help);
  }

  @Descriptor("stop watching a plugin's jar: the plugin stays as it is")
  public void unwatch(
      @Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
          absentValue = "false") boolean help,
      @Descriptor("the plugin (id, name or name/version) or the watched jar") String pluginOrJar) {
    if (help) {
      io.dockevos.common.internal.CommandHelp.print(this, "plugin:unwatch");
      return;
    }
    Optional<Plugin> plugin = plugins.find(pluginOrJar);
    Path file = home.resolve(pluginOrJar).normalize();
    List<Path> gone = watches.entrySet().stream().filter(e -> e.getKey().equals(file)
        || plugin.isPresent() && e.getValue().plugin.equals(plugin.get().symbolicName())).map(Map.Entry::getKey).toList();
    if (gone.isEmpty()) {
      throw new IllegalArgumentException("Nothing watched for " + pluginOrJar + "; plugin:watches lists what is");
    }
    for (Path p : gone) {
      Watched w = watches.remove(p);
      System.out.println("No longer watching " + p + " for " + w.plugin);
    }
    polling();
  }

  /** {@code plugin:unwatch} without its arguments: its help with {@code --help}, else what it needs. */
  public void unwatch(@Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
      absentValue = "false") boolean help) {
    io.dockevos.common.internal.CommandHelp.withoutArguments(this, "plugin:unwatch", help);
  }

  @Descriptor("list the watched jars: the plugin each updates, since when, how many reloads, and the last outcome")
  public void watches(
      @Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
          absentValue = "false") boolean help,
      @Descriptor("print JSON") @Parameter(names = "--json", presentValue = "true", absentValue = "false")
          boolean json) {
    if (help) {
      io.dockevos.common.internal.CommandHelp.print(this, "plugin:watches");
      return;
    }
    List<Map<String, Object>> list = new ArrayList<>();
    for (Watched w : watches.values()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("plugin", w.plugin);
      m.put("file", w.jar.file().toString());
      m.put("since", TimeFormat.of(w.since));
      m.put("reloads", w.reloads);
      m.put("last", w.last);
      list.add(m);
    }
    if (json) {
      System.out.println(Json.pretty(list));
    } else if (list.isEmpty()) {
      System.out.println("No jar is watched. plugin:watch ID|JAR watches one; bin/dockevos dev PROJECT does it for a"
          + " plugin project.");
    } else {
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"Plugin", "File", "Since", "Reloads", "Last"});
      list.forEach(m -> rows.add(new String[] {(String) m.get("plugin"), (String) m.get("file"), (String) m.get("since"),
          String.valueOf(m.get("reloads")), (String) m.get("last")}));
      io.dockevos.common.internal.Tables.print(System.out, rows);
    }
  }

  /** Installs the jar if its plugin is not installed, and watches it; @return the line that says so */
  String watch(String pluginOrJar, String jarArg, String who) throws PluginException {
    Optional<Plugin> named = jarArg != null || !Files.isRegularFile(home.resolve(pluginOrJar))
        ? plugins.find(pluginOrJar) : Optional.empty();
    Path file;
    Plugin plugin;
    String installedNow = "";
    if (named.isPresent()) {
      plugin = named.get();
      String source = jarArg != null ? jarArg : plugin.source();
      file = localFile(source).orElseThrow(() -> new PluginException("Cannot watch " + plugin.symbolicName()
          + ": it came from " + source + ", which is not a jar file; name the jar: plugin:watch " + plugin.id()
          + " PATH"));
      if (!Files.isRegularFile(file)) {
        throw new PluginException("Cannot watch " + plugin.symbolicName() + ": there is no file " + file);
      }
    } else {
      file = home.resolve(jarArg != null ? jarArg : pluginOrJar).normalize();
      if (!Files.isRegularFile(file)) {
        throw new PluginException("Cannot watch " + pluginOrJar + ": it is no installed plugin, and there is no file "
            + file + (Path.of(pluginOrJar).isAbsolute() ? "" : " (a relative path is read from the dockevOS home, "
            + home + ")"));
      }
      String name = Sources.check(file, file.toString()).symbolicName();
      Optional<Plugin> installed = plugins.find(name);
      if (installed.isPresent()) {
        plugin = installed.get();
      } else {
        installer.execute(new Change(List.of(Change.Item.install(file.toString())), Change.Scope.REPOSITORIES, Set.of(),
            "plugin:watch", who));
        plugin = plugins.find(name).orElseThrow(() -> new PluginException("Cannot watch " + file + ": its plugin "
            + name + " is not installed after its install"));
        installedNow = "Installed " + plugin.symbolicName() + " " + plugin.version() + " as plugin " + plugin.id() + ": "
            + plugin.state() + "\n";
      }
    }
    // A jar built since the plugin was last installed or updated (while nothing watched it) is taken at once.
    Instant last = plugin.updated() != null ? plugin.updated() : plugin.installed();
    JarWatch.Stamp now = JarWatch.Stamp.of(file);
    boolean newer = installedNow.isEmpty() && last != null && now != null && now.modifiedMillis() > last.toEpochMilli();
    Watched w = new Watched(file, plugin.symbolicName(), newer);
    Watched before = watches.put(file, w);
    polling();
    LOG.info("Watching {} for {}", file, plugin.symbolicName());
    return installedNow + (before != null ? "Still watching " : "Watching ") + file + " for " + plugin.symbolicName()
        + " " + plugin.version() + " (plugin " + plugin.id() + "): each new complete jar there updates it, keeping its"
        + " state; plugin:unwatch " + plugin.id() + " ends it" + (newer ? "\nThe jar is newer than the plugin: updating"
        + " it from there now" : "");
  }

  /** @return the file a path (from the home) or a {@code file:} URL names; empty for another kind of source */
  private Optional<Path> localFile(String source) {
    return Optional.ofNullable(new io.dockevos.common.internal.HomePaths(home).file(source));
  }

  /** Looks at the watched jars every {@value #POLL_MILLIS} ms while there are any, and not otherwise. */
  private synchronized void polling() {
    if (!watches.isEmpty() && polling == null) {
      polling = poller.scheduleWithFixedDelay(this::pollAll, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
    } else if (watches.isEmpty() && polling != null) {
      polling.cancel(false);
      polling = null;
    }
  }

  private void pollAll() {
    for (Watched w : watches.values()) {
      try {
        JarWatch.Seen seen = w.jar.poll(System.currentTimeMillis());
        if (seen instanceof JarWatch.Ready ready) {
          reload(w, ready.savedMillis());
        } else if (seen instanceof JarWatch.Broken broken) {
          failed(w, broken.cause());
        }
      } catch (RuntimeException e) {
        failed(w, e.toString());
      }
    }
  }

  /** Updates the plugin from the new jar, through the update plan; says how long after the save the new version serves. */
  private void reload(Watched w, long savedMillis) {
    long begin = System.nanoTime();
    Optional<Plugin> before = plugins.find(w.plugin);
    if (before.isEmpty()) {
      failed(w, "the plugin " + w.plugin + " is not installed any more (plugin:unwatch " + w.jar.file() + " ends this"
          + " watch)");
      return;
    }
    boolean stateful = stateful(before.get().id());
    try {
      Change change = new Change(List.of(Change.Item.update(String.valueOf(before.get().id()), w.jar.file().toString())),
          Change.Scope.REPOSITORIES, Set.of(), "plugin:watch", "plugin:watch");
      installer.apply(installer.plan(change));
    } catch (PluginException | RuntimeException e) {
      failed(w, e.getMessage());
      return;
    }
    long updateMillis = (System.nanoTime() - begin) / 1_000_000;
    long sinceSaved = System.currentTimeMillis() - savedMillis;
    Plugin after = plugins.find(String.valueOf(before.get().id())).orElse(null);
    if (after == null || after.state() != PluginState.ACTIVE) {
      failed(w, "after the update it is " + (after == null ? "gone" : after.state() + (after.reason() == null ? ""
          : ": " + after.reason())));
      return;
    }
    w.reloads++;
    String line = "Reloaded " + after.symbolicName() + " " + after.version() + " from " + w.jar.file() + ": it serves "
        + sinceSaved + " ms after the jar was saved (update " + updateMillis + " ms)"
        + (stateful ? ", its state kept" : "");
    w.last = TimeFormat.of(Instant.now()) + " " + line;
    out.println(line);
    LOG.info(line);
  }

  private void failed(Watched w, String cause) {
    String running = plugins.find(w.plugin).map(p -> p.version() + " keeps running").orElse("nothing was changed");
    String line = "Cannot reload " + w.plugin + " from " + w.jar.file() + ": " + cause + "; " + running;
    w.last = TimeFormat.of(Instant.now()) + " " + line;
    out.println(line);
    LOG.error(line);
  }

  /** @return whether the plugin offers a {@link StatefulPlugin}, so that its state is carried across an update */
  private boolean stateful(long id) {
    Bundle b = context.getBundle(id);
    ServiceReference<?>[] refs = b == null ? null : b.getRegisteredServices();
    if (refs != null) {
      for (ServiceReference<?> r : refs) {
        if (List.of((String[]) r.getProperty(Constants.OBJECTCLASS)).contains(StatefulPlugin.class.getName())) {
          return true;
        }
      }
    }
    return false;
  }
}
