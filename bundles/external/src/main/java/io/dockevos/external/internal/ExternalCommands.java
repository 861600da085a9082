package io.dockevos.external.internal;

import io.dockevos.common.internal.CommandHelp;
import io.dockevos.common.internal.ExternalPluginViews;
import io.dockevos.external.ExternalPlugin;
import io.dockevos.external.ExternalPluginException;
import io.dockevos.external.ExternalPlugins;
import java.nio.file.Path;
import java.util.List;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** The shell commands of external plugins: {@code external:install}, {@code external:list}, ... */
@Component(service = ExternalCommands.class, property = {"osgi.command.scope=external",
    "osgi.command.function=install", "osgi.command.function=list", "osgi.command.function=info",
    "osgi.command.function=start", "osgi.command.function=stop", "osgi.command.function=enable",
    "osgi.command.function=disable", "osgi.command.function=uninstall", "osgi.command.function=update"})
public final class ExternalCommands {
  private static final String H = "shows this help";
  private final ExternalPlugins plugins;

  /** Where {@code external:install URL} downloads to, and the limits of a download. */
  private final Path downloads;
  private final io.dockevos.common.internal.Downloads.Limits limits;

  @Activate
  public ExternalCommands(@Reference ExternalPlugins plugins, org.osgi.framework.BundleContext context) {
    this.plugins = plugins;
    this.downloads = Path.of(context.getProperty("dockevos.data")).resolve("external").resolve(".downloads");
    this.limits = io.dockevos.common.internal.Downloads.Limits.of(context::getProperty);
  }

  @Descriptor("install an external plugin from a folder with a plugin.yaml, or a .zip or .tar.gz of one (a path, a file:"
      + " or an https: URL with --sha256), and start it")
  public void install(@Descriptor(H) @Parameter(names = {"-h", "--help"}, presentValue = "true", absentValue = "false") boolean help,
      @Descriptor("grant the permissions its plugin.yaml asks for") @Parameter(names = "--grant", presentValue = "true",
          absentValue = "false") boolean grant,
      @Descriptor("the SHA-256 (64 hex digits) a download must have; also --sha256=HEX, or the URL's #sha256=HEX")
          @Parameter(names = "--sha256", absentValue = "") String sha256,
      @Descriptor("accept a plain http: URL: anyone on the way can change what comes") @Parameter(names = "--insecure",
          presentValue = "true", absentValue = "false") boolean insecure,
      @Descriptor("the folder, .zip or .tar.gz: a path, a file: URL, or an http(s): URL") String... words) {
    if (help || words.length == 1 && CommandHelp.asked(words[0])) {
      CommandHelp.print(this, "external:install");
      return;
    }
    PluginUrls.Named named = PluginUrls.named("external:install", sha256, words);
    List<String> sources = named.sources();
    if (sources.size() != 1) {
      throw new IllegalArgumentException("external:install takes one folder, archive or URL, not " + sources);
    }
    String source = sources.get(0);
    ExternalPlugin p = from(source, named, insecure, file -> plugins.install(file, grant));
    System.out.println("Installed external plugin " + p.name() + " " + p.version() + ": " + ExternalPluginViews.state(p)
        + factory(p.name()));
  }

  /** Does {@code action} with the source: a path as it is, a URL once it is downloaded (then deleted). */
  private ExternalPlugin from(String source, PluginUrls.Named named, boolean insecure, PluginUrls.Install action) {
    return call(() -> PluginUrls.isUrl(source) ? PluginUrls.install(source, named.sha256(), insecure, downloads, limits,
        action) : action.apply(Path.of(source)));
  }

  /** @return for a factory, what runs its instances */
  private String factory(String name) {
    if (plugins instanceof ExternalPluginsImpl impl) {
      return impl.supervisorOf(name).filter(s -> s.descriptor().factory() && !s.descriptor().isInstance())
          .map(s -> "; a factory: each configuration of the factory PID " + s.pid() + " runs an instance " + name
              + "~INSTANCE (deploy/" + s.pid() + "-INSTANCE.cfg)").orElse("");
    }
    return "";
  }

  @Descriptor("install an external plugin from a folder with a plugin.yaml, or a .zip or .tar.gz of one, and start it")
  public void install(@Descriptor(H) @Parameter(names = {"-h", "--help"}, presentValue = "true", absentValue = "false") boolean help) {
    CommandHelp.withoutArguments(this, "external:install", help);
  }

  @Descriptor("list the external plugins: state, pid, restarts, uptime and tools")
  public void list(@Descriptor(H) @Parameter(names = {"-h", "--help"}, presentValue = "true", absentValue = "false") boolean help,
      @Descriptor("print JSON") @Parameter(names = "--json", presentValue = "true", absentValue = "false") boolean json) {
    if (help) {
      CommandHelp.print(this, "external:list");
      return;
    }
    List<ExternalPlugin> all = plugins.plugins();
    if (json) {
      System.out.println(io.dockevos.common.internal.Json.pretty(all.stream().map(ExternalPluginViews::toMap).toList()));
      return;
    }
    if (all.isEmpty()) {
      System.out.println("No external plugins; external:install DIR|ARCHIVE installs one");
      return;
    }
    ExternalPluginViews.table(System.out, all);
  }

  @Descriptor("show an external plugin: state, reason, process, limits, tools and folder")
  public void info(@Descriptor(H) @Parameter(names = {"-h", "--help"}, presentValue = "true", absentValue = "false") boolean help,
      @Descriptor("the plugin's name") String name) {
    if (help || CommandHelp.asked(name)) {
      CommandHelp.print(this, "external:info");
      return;
    }
    ExternalPlugin p = plugins.plugin(name).orElseThrow(() -> new IllegalArgumentException(
        "No external plugin " + name + "; external:list shows them"));
    ExternalPluginViews.info(System.out, p);
    if (plugins instanceof ExternalPluginsImpl impl) {
      impl.supervisorOf(name).ifPresent(s -> {
        if (s.descriptor().factory() && !s.descriptor().isInstance()) {
          List<String> names = impl.instancesOf(name).stream().map(i -> i.descriptor().name()).toList();
          System.out.println("Factory:     each configuration of the factory PID " + s.pid() + " runs an instance; "
              + (names.isEmpty() ? "none yet" : String.join(", ", names)));
          return;
        }
        System.out.println("Config:      " + s.pid() + " " + io.dockevos.common.internal.Json.value(s.config()).toString()
            + (s.configProblem() == null ? "" : "\n             " + s.configProblem()));
        if (!s.subscriptions().isEmpty()) {
          System.out.println("Subscribed:  " + String.join(", ", s.subscriptions()));
        }
      });
    }
    System.out.println("Folder:      " + p.folder());
  }

  @Descriptor("show an external plugin: state, reason, process, limits, tools and folder")
  public void info(@Descriptor(H) @Parameter(names = {"-h", "--help"}, presentValue = "true", absentValue = "false") boolean help) {
    CommandHelp.withoutArguments(this, "external:info", help);
  }

  @Descriptor("start an external plugin (a FAILED one too: its failures are forgotten)")
  public void start(@Descriptor(H) @Parameter(names = {"-h", "--help"}, presentValue = "true", absentValue = "false") boolean help,
      @Descriptor("the plugin's name") String name) {
    if (help || CommandHelp.asked(name)) {
      CommandHelp.print(this, "external:start");
      return;
    }
    ExternalPlugin p = call(() -> plugins.start(name));
    System.out.println(p.name() + ": " + ExternalPluginViews.state(p));
  }

  @Descriptor("start an external plugin (a FAILED one too: its failures are forgotten)")
  public void start(@Descriptor(H) @Parameter(names = {"-h", "--help"}, presentValue = "true", absentValue = "false") boolean help) {
    CommandHelp.withoutArguments(this, "external:start", help);
  }

  @Descriptor("stop an external plugin: SIGTERM, then SIGKILL after 5 s, its children too")
  public void stop(@Descriptor(H) @Parameter(names = {"-h", "--help"}, presentValue = "true", absentValue = "false") boolean help,
      @Descriptor("the plugin's name") String name) {
    if (help || CommandHelp.asked(name)) {
      CommandHelp.print(this, "external:stop");
      return;
    }
    ExternalPlugin p = call(() -> plugins.stop(name));
    System.out.println(p.name() + ": " + ExternalPluginViews.state(p));
  }

  @Descriptor("stop an external plugin: SIGTERM, then SIGKILL after 5 s, its children too")
  public void stop(@Descriptor(H) @Parameter(names = {"-h", "--help"}, presentValue = "true", absentValue = "false") boolean help) {
    CommandHelp.withoutArguments(this, "external:stop", help);
  }

  @Descriptor("enable an external plugin: it starts now and with the runtime")
  public void enable(@Descriptor(H) @Parameter(names = {"-h", "--help"}, presentValue = "true", absentValue = "false") boolean help,
      @Descriptor("the plugin's name") String name) {
    if (help || CommandHelp.asked(name)) {
      CommandHelp.print(this, "external:enable");
      return;
    }
    ExternalPlugin p = call(() -> plugins.enable(name, true));
    System.out.println(p.name() + ": " + ExternalPluginViews.state(p));
  }

  @Descriptor("enable an external plugin: it starts now and with the runtime")
  public void enable(@Descriptor(H) @Parameter(names = {"-h", "--help"}, presentValue = "true", absentValue = "false") boolean help) {
    CommandHelp.withoutArguments(this, "external:enable", help);
  }

  @Descriptor("disable an external plugin: it stops now and does not start with the runtime")
  public void disable(@Descriptor(H) @Parameter(names = {"-h", "--help"}, presentValue = "true", absentValue = "false") boolean help,
      @Descriptor("the plugin's name") String name) {
    if (help || CommandHelp.asked(name)) {
      CommandHelp.print(this, "external:disable");
      return;
    }
    ExternalPlugin p = call(() -> plugins.enable(name, false));
    System.out.println(p.name() + ": " + ExternalPluginViews.state(p));
  }

  @Descriptor("disable an external plugin: it stops now and does not start with the runtime")
  public void disable(@Descriptor(H) @Parameter(names = {"-h", "--help"}, presentValue = "true", absentValue = "false") boolean help) {
    CommandHelp.withoutArguments(this, "external:disable", help);
  }

  @Descriptor("update an external plugin to the version in a folder or archive (a path, a file: or an https: URL with"
      + " --sha256): the new one starts beside the running one and takes over once it answers; when it does not, the"
      + " old one runs on")
  public void update(@Descriptor(H) @Parameter(names = {"-h", "--help"}, presentValue = "true", absentValue = "false") boolean help,
      @Descriptor("grant the permissions the new version asks for") @Parameter(names = "--grant", presentValue = "true",
          absentValue = "false") boolean grant,
      @Descriptor("the SHA-256 (64 hex digits) a download must have; also --sha256=HEX, or the URL's #sha256=HEX")
          @Parameter(names = "--sha256", absentValue = "") String sha256,
      @Descriptor("accept a plain http: URL: anyone on the way can change what comes") @Parameter(names = "--insecure",
          presentValue = "true", absentValue = "false") boolean insecure,
      @Descriptor("the plugin's name, then the folder, .zip or .tar.gz of its new version (a path or a URL)")
          String... words) {
    if (help || words.length > 0 && CommandHelp.asked(words[0])) {
      CommandHelp.print(this, "external:update");
      return;
    }
    PluginUrls.Named named = PluginUrls.named("external:update", sha256, words);
    if (named.sources().size() != 2) {
      throw new IllegalArgumentException("external:update takes the plugin and the folder or archive of its new version:"
          + " external:update " + (named.sources().isEmpty() ? "NAME" : named.sources().get(0)) + " DIR|ARCHIVE|URL");
    }
    String name = named.sources().get(0);
    String source = named.sources().get(1);
    ExternalPlugin p = from(source, named, insecure, file -> plugins.update(name, file, grant));
    System.out.println("Updated external plugin " + p.name() + " to " + p.version() + ": " + ExternalPluginViews.state(p));
  }

  @Descriptor("update an external plugin to the version in a folder or archive: the new one starts beside the running"
      + " one and takes over once it answers; when it does not, the old one runs on")
  public void update(@Descriptor(H) @Parameter(names = {"-h", "--help"}, presentValue = "true", absentValue = "false") boolean help) {
    CommandHelp.withoutArguments(this, "external:update", help);
  }

  @Descriptor("stop an external plugin and delete its files and its working folder")
  public void uninstall(@Descriptor(H) @Parameter(names = {"-h", "--help"}, presentValue = "true", absentValue = "false") boolean help,
      @Descriptor("the plugin's name") String name) {
    if (help || CommandHelp.asked(name)) {
      CommandHelp.print(this, "external:uninstall");
      return;
    }
    call(() -> {
      plugins.uninstall(name);
      return null;
    });
    System.out.println("Uninstalled external plugin " + name);
  }

  @Descriptor("stop an external plugin and delete its files and its working folder")
  public void uninstall(@Descriptor(H) @Parameter(names = {"-h", "--help"}, presentValue = "true", absentValue = "false") boolean help) {
    CommandHelp.withoutArguments(this, "external:uninstall", help);
  }

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
