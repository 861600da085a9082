package io.dockevos.plugin.internal;

import io.dockevos.common.internal.Json;
import io.dockevos.common.internal.Secrets;

import io.dockevos.install.Change;
import io.dockevos.install.Installer;
import io.dockevos.install.Outcome;
import io.dockevos.install.Plan;
import io.dockevos.plugin.BundleDiagnosis;
import io.dockevos.plugin.ComponentDiagnosis;
import io.dockevos.plugin.Diagnostics;
import io.dockevos.plugin.MissingRequirement;
import io.dockevos.plugin.Plugin;
import io.dockevos.plugin.PluginDetails;
import io.dockevos.plugin.PluginException;
import io.dockevos.plugin.PluginManager;
import io.dockevos.plugin.PluginManager.InstallOption;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;

/**
 * The {@code plugin:*} Gogo commands, a thin layer over {@link PluginManager}. Every list and info
 * command takes {@code --json}. A failure is thrown as an {@link IllegalStateException} with the
 * manager's message, so that the console and {@code bin/dockevos client} print it as it is.
 */
@Component(configurationPolicy = ConfigurationPolicy.IGNORE, service = PluginCommands.class, property = {"osgi.command.scope=plugin",
    "osgi.command.function=list", "osgi.command.function=info", "osgi.command.function=install",
    "osgi.command.function=start", "osgi.command.function=stop", "osgi.command.function=enable",
    "osgi.command.function=disable", "osgi.command.function=update", "osgi.command.function=uninstall",
    "osgi.command.function=diag", "osgi.command.function=execute", "osgi.command.function=actions"})
public final class PluginCommands {
  private final PluginManager plugins;
  private final ActionRuntime actions;
  private final Installer installer;
  private final Diagnostics diagnostics;
  private final java.nio.file.Path home;

  /** The external plugins, while the feature dockevos-external runs: plugin: commands take them too. */
  @org.osgi.service.component.annotations.Reference(cardinality = org.osgi.service.component.annotations.ReferenceCardinality.OPTIONAL,
      policy = org.osgi.service.component.annotations.ReferencePolicy.DYNAMIC)
  volatile io.dockevos.external.ExternalPlugins external;

  /** @param actions the runtime of this bundle, whose entries the commands read */
  @Activate
  public PluginCommands(@Reference PluginManager plugins, @Reference io.dockevos.action.ActionService actions,
      @Reference Installer installer, @Reference Diagnostics diagnostics, org.osgi.framework.BundleContext context) {
    this.plugins = plugins;
    String h = context.getProperty(io.dockevos.api.Host.HOME_PROPERTY);
    this.home = java.nio.file.Path.of(h == null ? "." : h).toAbsolutePath();
    this.diagnostics = diagnostics;
    this.installer = installer;
    this.actions = (ActionRuntime) actions;
  }

  @Descriptor("run an action of a plugin: plugin:execute PLUGIN ACTION [key=value ... | 'JSON'] [--timeout=SECONDS]")
  public void execute(
      @Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
          absentValue = "false") boolean help,
      @Descriptor("plugin id, name, or command scope") String plugin,
      @Descriptor("action name") String action,
      @Descriptor("the input: key=value words, or one JSON object in quotes") String... input) {
    if (help) {
      io.dockevos.common.internal.CommandHelp.print(this, "plugin:execute");
      return;
    }
    try {
      ActionCommand.run(actions, actions.entry(plugin, action), List.of(input));
    } catch (io.dockevos.action.ActionException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /** {@code plugin:execute} without its arguments: its help with {@code --help}, else what it needs. */
  public void execute(@Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
      absentValue = "false") boolean help) {
    io.dockevos.common.internal.CommandHelp.withoutArguments(this, "plugin:execute", help);
  }

  @Descriptor("list the actions of every plugin, with their commands and figures (runs, failures, mean and longest time)")
  public void actions(
      @Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
          absentValue = "false") boolean help,
      @Descriptor("print JSON") @Parameter(names = "--json", presentValue = "true", absentValue = "false")
          boolean json) {
    if (help) {
      io.dockevos.common.internal.CommandHelp.print(this, "plugin:actions");
      return;
    }
    List<io.dockevos.action.ActionInfo> list = actions.actions();
    PrintStream out = System.out;
    if (json) {
      out.println(Json.pretty(list.stream().map(PluginCommands::toMap).toList()));
      return;
    }
    if (list.isEmpty()) {
      out.println("No plugin provides actions.");
      return;
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"Command", "Plugin", "Runs", "Failed", "Mean ms", "Max ms", "Description"});
    for (io.dockevos.action.ActionInfo a : list) {
      rows.add(new String[] {a.command(), a.plugin(), String.valueOf(a.stats().invocations()),
          String.valueOf(a.stats().failures()), String.format(java.util.Locale.ROOT, "%.1f", a.stats().meanMillis()),
          String.valueOf(a.stats().maxMillis()), a.description()});
    }
    io.dockevos.common.internal.Tables.print(out, rows);
  }

  static Map<String, Object> toMap(io.dockevos.action.ActionInfo a) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("plugin", a.plugin());
    m.put("name", a.name());
    m.put("command", a.command());
    m.put("description", a.description());
    m.put("timeoutSeconds", a.timeoutSeconds());
    m.put("schema", a.schema() == null ? null : Json.provider().createReader(new java.io.StringReader(a.schema()))
        .readObject());
    Map<String, Object> stats = new LinkedHashMap<>();
    stats.put("invocations", a.stats().invocations());
    stats.put("failures", a.stats().failures());
    stats.put("meanMillis", a.stats().meanMillis());
    stats.put("maxMillis", a.stats().maxMillis());
    stats.put("histogram", a.stats().histogram());
    m.put("stats", stats);
    return m;
  }

  /** The manager's own failures carry a message for users; anything else keeps its type. */
  @FunctionalInterface
  private interface Call<T> {
    T run() throws PluginException;
  }

  private static <T> T call(Call<T> call) {
    try {
      return call.run();
    } catch (PluginException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  @Descriptor("list the installed plugins: id, name, version, state, trust (unsigned, signed, trusted), components"
      + " (active/unsatisfied/failed), source")
  public void list(
      @Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
          absentValue = "false") boolean help,
      @Descriptor("also the runtime's own bundles") @Parameter(names = {"-a", "--all"}, presentValue = "true",
          absentValue = "false") boolean all,
      @Descriptor("print JSON") @Parameter(names = "--json", presentValue = "true", absentValue = "false")
          boolean json) {
    if (help) {
      io.dockevos.common.internal.CommandHelp.print(this, "plugin:list");
      return;
    }
    List<Plugin> list = plugins.list().stream().filter(p -> all || !p.boot()).toList();
    PrintStream out = System.out;
    io.dockevos.external.ExternalPlugins ext = external;
    if (json) {
      List<Map<String, Object>> all2 = new ArrayList<>(list.stream().map(PluginCommands::toMap).toList());
      if (ext != null) {
        ext.plugins().forEach(p -> all2.add(io.dockevos.common.internal.ExternalPluginViews.toMap(p)));
      }
      out.println(Json.pretty(all2));
      return;
    }
    if (list.isEmpty() && ext != null && !ext.plugins().isEmpty()) {
      ExternalDelegate.list(ext, out, false);
      return;
    }
    if (list.isEmpty()) {
      out.println("No plugins installed. Install one with plugin:install <jar|url>, or drop it into deploy/;"
          + " plugin:list --all shows the runtime's own bundles too.");
      return;
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"ID", "Name", "Version", "State", "Trust", "Components", "Source"});
    for (Plugin p : list) {
      rows.add(new String[] {String.valueOf(p.id()), p.symbolicName(), p.version(), p.state().name(),
          p.trust().label(), p.components().toString(), Secrets.redact(p.source())});
    }
    io.dockevos.common.internal.Tables.print(out, rows);
    if (list.stream().anyMatch(p -> p.reason() != null)) {
      out.println();
      list.stream().filter(p -> p.reason() != null)
          .forEach(p -> out.println(p.id() + " " + p.symbolicName() + " FAILED: " + p.reason()));
    }
    ExternalDelegate.list(ext, out, true);
  }

  @Descriptor("show a plugin: its metadata, what it provides and requires (with wiring), services, components, actions, configurations, data")
  public void info(
      @Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
          absentValue = "false") boolean help,
      @Descriptor("print JSON") @Parameter(names = "--json", presentValue = "true", absentValue = "false")
          boolean json,
      @Descriptor("plugin id, name or name/version") String ref) {
    if (help) {
      io.dockevos.common.internal.CommandHelp.print(this, "plugin:info");
      return;
    }
    if (ExternalDelegate.info(external, ref, plugins.find(ref).isPresent(), json, System.out)) {
      return;
    }
    PluginDetails d = call(() -> plugins.details(ref));
    PrintStream out = System.out;
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>(toMap(d.plugin()));
      m.put("headers", d.headers());
      m.put("provides", d.provides());
      m.put("requires", d.requires());
      m.put("services", d.services());
      m.put("components", d.components());
      m.put("actions", d.actions());
      m.put("configurations", d.configurations());
      m.put("signer", signer(d.plugin()).map(s -> Map.of("subject", s.subject(), "fingerprint", s.fingerprint()))
          .orElse(null));
      m.put("dataArea", d.dataArea());
      m.put("dataSize", d.dataSize());
      out.println(Json.pretty(m));
      return;
    }
    Plugin p = d.plugin();
    out.println(p.name() + " (" + p.symbolicName() + " " + p.version() + "), plugin " + p.id());
    out.println("  State:      " + p.state() + (p.reason() != null ? ": " + p.reason() : ""));
    out.println("  Components: " + p.components().active() + " active, " + p.components().unsatisfied()
        + " unsatisfied, " + p.components().failed() + " failed");
    out.println("  Trust:      " + p.trust().label() + signer(p).map(s -> " (signed by " + s + ")").orElse(""));
    out.println("  Source:     " + Secrets.redact(p.source()));
    out.println("  Installed:  " + io.dockevos.common.internal.TimeFormat.of(p.installed())
        + (p.updated() != null ? ", updated " + io.dockevos.common.internal.TimeFormat.of(p.updated()) : ""));
    out.println("  Data:       " + d.dataArea() + " (" + d.dataSize() + " bytes)");
    d.headers().forEach((k, v) -> out.println("  " + k + ": " + v));
    section(out, "Provides", d.provides());
    section(out, "Requires", d.requires());
    section(out, "Services", d.services());
    section(out, "Components", d.components());
    section(out, "Actions", d.actions());
    section(out, "Configurations", d.configurations());
  }

  /** {@code plugin:info} without its arguments: its help with {@code --help}, else what it needs. */
  public void info(@Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
      absentValue = "false") boolean help) {
    io.dockevos.common.internal.CommandHelp.withoutArguments(this, "plugin:info", help);
  }

  @Descriptor("install plugins from jar paths, plugin archives (.zip, .tar.gz), file: or https: URLs (with --sha256, or"
      + " offered by a registered index) or mvn: coordinates, and start them")
  public void install(CommandSession session,
      @Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
          absentValue = "false") boolean help,
      @Descriptor("grant the permissions the plugins request (the plan lists them); without it the console asks,"
          + " and the client is refused") @Parameter(names = "--grant", presentValue = "true", absentValue = "false")
          boolean grant,
      @Descriptor("keep it installed even when it does not resolve (one source at a time, no dependencies)")
          @Parameter(names = "--force", presentValue = "true", absentValue = "false") boolean force,
      @Descriptor("do not start it") @Parameter(names = "--no-start", presentValue = "true", absentValue = "false")
          boolean noStart,
      @Descriptor("print the plan and change nothing") @Parameter(names = "--dry-run", presentValue = "true",
          absentValue = "false") boolean dryRun,
      @Descriptor("install only the named sources: take nothing from the repositories") @Parameter(names = "--no-deps",
          presentValue = "true", absentValue = "false") boolean noDeps,
      @Descriptor("no health gate: keep a plugin whose component waits for a service that comes later")
          @Parameter(names = "--no-gate", presentValue = "true", absentValue = "false") boolean noGate,
      @Descriptor("the SHA-256 (64 hex digits) the one source must have; a URL needs it unless a registered index"
          + " offers it; also --sha256=HEX") @Parameter(names = "--sha256", absentValue = "") String sha256,
      @Descriptor("accept plain http: URLs: anyone on the way can change what comes") @Parameter(names = "--insecure",
          presentValue = "true", absentValue = "false") boolean insecure,
      @Descriptor("jar or archive paths (relative to the dockevOS home), URLs or mvn: coordinates; all are planned"
          + " and installed together, with what they need from the repositories") String... source) {
    if (help) {
      io.dockevos.common.internal.CommandHelp.print(this, "plugin:install");
      return;
    }
    Named named = named("plugin:install", sha256, insecure, List.of(source));
    if (named.sources().isEmpty()) {
      throw new IllegalArgumentException("plugin:install needs a source: a jar, an archive or a URL");
    }
    java.nio.file.Path externalSource = ExternalDelegate.externalSource(external, home, named.sources());
    if (externalSource != null) {
      if (dryRun) {
        throw ExternalDelegate.dryRun(named.sources().get(0));
      }
      ExternalDelegate.install(external, externalSource, grant, System.out);
      return;
    }
    if (named.vouch().sha256() != null && named.sources().size() > 1) {
      throw new IllegalArgumentException("plugin:install: --sha256 checks one source, and " + named.sources().size()
          + " are named; install the others in commands of their own");
    }
    PluginManagerImpl manager = (PluginManagerImpl) installer;
    try (Sources.Scope vouched = manager.sources.vouch(named.vouches())) {
      ExternalDelegate.install(external, manager.sources, named.sources(), grant, dryRun, System.out,
          () -> install(session, manager, grant, force, noStart, dryRun, noDeps, noGate,
              named.sources().toArray(String[]::new)));
    }
  }

  /**
   * The sources a command names, without the {@code --sha256=HEX} words that Gogo leaves among them
   * (it knows {@code --sha256 HEX} only), and what the user vouches for each.
   */
  record Named(List<String> sources, Sources.Vouch vouch) {
    /** @return the vouch for each source */
    Map<String, Sources.Vouch> vouches() {
      Map<String, Sources.Vouch> vouches = new LinkedHashMap<>();
      sources.forEach(source -> vouches.put(source, vouch));
      return vouches;
    }
  }

  static Named named(String command, String sha256, boolean insecure, List<String> words) {
    String sha = sha256 == null || sha256.isEmpty() ? null : sha256;
    List<String> sources = new ArrayList<>();
    for (String w : words) {
      if (w.startsWith("--sha256=")) {
        if (sha != null) {
          throw new IllegalArgumentException(command + ": --sha256 is given twice");
        }
        sha = w.substring("--sha256=".length());
      } else if (w.startsWith("--")) {
        // Gogo leaves an option it does not know among the words: it is no source (./--x.jar names one).
        throw new IllegalArgumentException(command + ": " + w + " is no option of it; " + command
            + " --help shows what it takes");
      } else {
        sources.add(w);
      }
    }
    if (sha != null && !Sources.isSha256(sha)) {
      throw new IllegalArgumentException(command + ": --sha256 takes a SHA-256, 64 hex digits; '" + sha
          + "' is not one");
    }
    return new Named(List.copyOf(sources), new Sources.Vouch(sha, insecure));
  }

  private void install(CommandSession session, PluginManagerImpl manager, boolean grant, boolean force,
      boolean noStart, boolean dryRun, boolean noDeps, boolean noGate, String... sources) {
    if (force) {
      installOneByOne(force, noStart, sources);
      return;
    }
    java.util.Set<Change.Option> options = options(noStart, noGate);
    if (grant) {
      options.add(Change.Option.GRANT);
    }
    io.dockevos.plugin.internal.plan.Prepared planned = call(() -> manager.prepareInstall(List.of(sources),
        noDeps ? Change.Scope.GIVEN : Change.Scope.REPOSITORIES, options, who(session)));
    if (dryRun) {
      planned.discard().run();
      printDryRun(planned.plan(), "plugin:install --grant");
      return;
    }
    io.dockevos.plugin.internal.plan.Prepared prepared = approve(session, planned);
    Plan plan = prepared.plan();
    Outcome outcome = call(() -> manager.applyPrepared(prepared));
    printGranted(plan);
    List<Plan.Step> installs = plan.installs();
    List<String> pulled = new ArrayList<>();
    for (int i = 0; i < installs.size(); i++) {
      Plan.Step step = installs.get(i);
      long id = outcome.bundles().get(i);
      if ("named".equals(step.reason())) {
        Plugin p = plugins.find(String.valueOf(id)).orElse(null);
        System.out.println("Installed " + step.identity() + " as plugin " + id + ": " + (p == null ? "?" : p.state()));
      } else {
        pulled.add(step.identity() + " (plugin " + id + ")");
      }
    }
    if (!pulled.isEmpty()) {
      System.out.println("Added from the repositories, as needed: " + String.join(", ", pulled));
    }
  }

  /** @return who types into the session, for the audit of the permissions a plan grants */
  static String who(CommandSession session) {
    return io.dockevos.common.internal.Prompts.who(session == null ? null : session::get);
  }

  /** Prints a dry run's plan, and what applying it asks for. */
  private static void printDryRun(Plan plan, String command) {
    io.dockevos.common.internal.PlanPrinter.print(System.out, plan, "nothing was changed (--dry-run)");
    if (!plan.ungranted().isEmpty() && !plan.change().options().contains(Change.Option.GRANT)) {
      System.out.println("Applying it needs the permissions marked NOT GRANTED: " + command + " grants them, the"
          + " console asks.");
    }
  }

  /**
   * At an interactive console, asks the user y/N for the permissions the plan's bundles request and
   * no one granted. Without a terminal (bin/dockevos client, run -c) nothing is asked: the pipeline
   * refuses the plan, naming them.
   *
   * @return the plan, with {@link Change.Option#GRANT} when the user said yes
   */
  private static io.dockevos.plugin.internal.plan.Prepared approve(CommandSession session,
      io.dockevos.plugin.internal.plan.Prepared prepared) {
    List<Plan.PermissionRequest> ungranted = prepared.plan().ungranted();
    if (ungranted.isEmpty() || prepared.plan().change().options().contains(Change.Option.GRANT)
        || session == null || !io.dockevos.common.internal.Prompts.interactive(session::get)) {
      return prepared;
    }
    return ask(session, ungranted) ? prepared.with(Change.Option.GRANT) : prepared;
  }

  /** @return whether the user at the console answers yes to granting the permissions */
  private static boolean ask(CommandSession session, List<Plan.PermissionRequest> ungranted) {
    // The console itself: what the command prints to System.out may be held until it ends.
    PrintStream out = session.getConsole() != null ? session.getConsole() : System.out;
    out.println("The plan needs permissions that are not granted:");
    for (Plan.PermissionRequest r : ungranted) {
      out.println("  " + r.identity() + ": " + io.dockevos.security.Permission.join(r.ungranted()));
    }
    out.print("Grant them? [y/N] ");
    out.flush();
    String answer = io.dockevos.common.internal.Prompts.readLine(session.getKeyboard());
    if (answer == null) {
      out.println();
    }
    return io.dockevos.common.internal.Prompts.yes(answer);
  }

  /** Says what an applied plan granted. */
  private static void printGranted(Plan plan) {
    boolean grant = plan.change().options().contains(Change.Option.GRANT);
    for (Plan.PermissionRequest r : plan.permissions()) {
      if (!r.ungranted().isEmpty() && (grant || r.policy() != null) && plan.steps().stream()
          .anyMatch(s -> s.identity().equals(r.identity()))) {
        System.out.println("Granted " + io.dockevos.security.Permission.join(r.ungranted()) + " to " + r.symbolicName()
            + (r.policy() != null ? " (" + r.policy() + ")" : ""));
      }
    }
  }

  private static java.util.Set<Change.Option> options(boolean noStart, boolean noGate) {
    java.util.Set<Change.Option> options = java.util.EnumSet.noneOf(Change.Option.class);
    if (noStart) {
      options.add(Change.Option.NO_START);
    }
    if (noGate) {
      options.add(Change.Option.NO_GATE);
    }
    return options;
  }

  private void installOneByOne(boolean force, boolean noStart, String... sources) {
    List<InstallOption> options = new ArrayList<>();
    if (force) {
      options.add(InstallOption.FORCE);
    }
    if (noStart) {
      options.add(InstallOption.NO_START);
    }
    List<String> failed = new ArrayList<>();
    for (String source : sources) {
      try {
        Plugin p = plugins.install(source, options.toArray(InstallOption[]::new));
        System.out.println("Installed " + p.symbolicName() + " " + p.version() + " as plugin " + p.id() + ": "
            + p.state());
      } catch (PluginException e) {
        if (sources.length == 1) {
          throw new IllegalStateException(e.getMessage(), e);
        }
        System.out.println(e.getMessage());
        failed.add(source);
      }
    }
    if (!failed.isEmpty()) {
      throw new IllegalStateException(failed.size() + " of " + sources.length + " sources failed: " + failed);
    }
  }

  @Descriptor("start a plugin")
  public void start(
      @Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
          absentValue = "false") boolean help,
      @Descriptor("plugin id, name or name/version") String ref) {
    if (help) {
      io.dockevos.common.internal.CommandHelp.print(this, "plugin:start");
      return;
    }
    if (!ExternalDelegate.lifecycle(external, ref, plugins.find(ref).isPresent(), (p, n) -> p.start(n), System.out)) {
      printState(call(() -> plugins.start(ref)));
    }
  }

  /** {@code plugin:start} without its arguments: its help with {@code --help}, else what it needs. */
  public void start(@Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
      absentValue = "false") boolean help) {
    io.dockevos.common.internal.CommandHelp.withoutArguments(this, "plugin:start", help);
  }

  @Descriptor("stop a plugin (it stays stopped across restarts until started)")
  public void stop(
      @Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
          absentValue = "false") boolean help,
      @Descriptor("plugin id, name or name/version") String ref) {
    if (help) {
      io.dockevos.common.internal.CommandHelp.print(this, "plugin:stop");
      return;
    }
    if (!ExternalDelegate.lifecycle(external, ref, plugins.find(ref).isPresent(), (p, n) -> p.stop(n), System.out)) {
      printState(call(() -> plugins.stop(ref)));
    }
  }

  /** {@code plugin:stop} without its arguments: its help with {@code --help}, else what it needs. */
  public void stop(@Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
      absentValue = "false") boolean help) {
    io.dockevos.common.internal.CommandHelp.withoutArguments(this, "plugin:stop", help);
  }

  @Descriptor("enable a disabled plugin and start it")
  public void enable(
      @Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
          absentValue = "false") boolean help,
      @Descriptor("plugin id, name or name/version") String ref) {
    if (help) {
      io.dockevos.common.internal.CommandHelp.print(this, "plugin:enable");
      return;
    }
    if (!ExternalDelegate.lifecycle(external, ref, plugins.find(ref).isPresent(), (p, n) -> p.enable(n, true), System.out)) {
      printState(call(() -> plugins.enable(ref)));
    }
  }

  /** {@code plugin:enable} without its arguments: its help with {@code --help}, else what it needs. */
  public void enable(@Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
      absentValue = "false") boolean help) {
    io.dockevos.common.internal.CommandHelp.withoutArguments(this, "plugin:enable", help);
  }

  @Descriptor("disable a plugin: stop it and keep it stopped, across restarts too, until enabled")
  public void disable(
      @Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
          absentValue = "false") boolean help,
      @Descriptor("plugin id, name or name/version") String ref) {
    if (help) {
      io.dockevos.common.internal.CommandHelp.print(this, "plugin:disable");
      return;
    }
    if (!ExternalDelegate.lifecycle(external, ref, plugins.find(ref).isPresent(), (p, n) -> p.enable(n, false), System.out)) {
      printState(call(() -> plugins.disable(ref)));
    }
  }

  /** {@code plugin:disable} without its arguments: its help with {@code --help}, else what it needs. */
  public void disable(@Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
      absentValue = "false") boolean help) {
    io.dockevos.common.internal.CommandHelp.withoutArguments(this, "plugin:disable", help);
  }

  @Descriptor("update a plugin from the source it was installed from, or from a new jar path or URL, as one plan:"
      + " what is wired to it is refreshed, and a failed update rolls back")
  public void update(CommandSession session,
      @Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
          absentValue = "false") boolean help,
      @Descriptor("print the plan and change nothing") @Parameter(names = "--dry-run", presentValue = "true",
          absentValue = "false") boolean dryRun,
      @Descriptor("grant the permissions the new version requests and the plugin does not hold yet")
          @Parameter(names = "--grant", presentValue = "true", absentValue = "false") boolean grant,
      @Descriptor("the SHA-256 (64 hex digits) the source must have; a URL needs it unless a registered index offers"
          + " it; also --sha256=HEX") @Parameter(names = "--sha256", absentValue = "") String sha256,
      @Descriptor("accept a plain http: URL: anyone on the way can change what comes") @Parameter(names = "--insecure",
          presentValue = "true", absentValue = "false") boolean insecure,
      @Descriptor("the plugin (id, name or name/version), then the jar path or URL to update from; without it, the"
          + " one it came from") String... pluginAndSource) {
    if (help) {
      io.dockevos.common.internal.CommandHelp.print(this, "plugin:update");
      return;
    }
    Named named = named("plugin:update", sha256, insecure, List.of(pluginAndSource));
    if (named.sources().isEmpty() || named.sources().size() > 2) {
      throw new IllegalArgumentException("plugin:update takes a plugin and, optionally, the source to update it from:"
          + " plugin:update [--dry-run] [--grant] [--sha256=HEX] [--insecure] REF [SOURCE]; not " + named.sources());
    }
    String ref = named.sources().get(0);
    String source = named.sources().size() == 2 ? named.sources().get(1) : null;
    if (!dryRun) {
      Sources sources = ((PluginManagerImpl) installer).sources;
      try (Sources.Scope vouched = sources.vouch(source == null ? Map.of() : Map.of(source, named.vouch()))) {
        if (ExternalDelegate.update(external, sources, ref, plugins.find(ref).isPresent(), home, source, grant,
            System.out)) {
          return;
        }
      }
    }
    // Without a source, the one it came from is what is fetched: that is what the user vouches for.
    String fetched = source != null ? source : call(() -> plugins.details(ref)).plugin().source();
    try (Sources.Scope vouched = ((PluginManagerImpl) installer).sources.vouch(fetched == null ? Map.of()
        : Map.of(fetched, named.vouch()))) {
      Change change = new Change(List.of(Change.Item.update(ref, source)), Change.Scope.REPOSITORIES,
          grant ? java.util.Set.of(Change.Option.GRANT) : java.util.Set.of(), "plugin:update", who(session));
      Plan plan = call(() -> installer.plan(change));
      if (dryRun) {
        printDryRun(plan, "plugin:update --grant");
        return;
      }
      long id = call(() -> plugins.find(ref).orElseThrow(() -> new PluginException("No plugin named " + ref)).id());
      Plan approved = !grant && !plan.ungranted().isEmpty() && io.dockevos.common.internal.Prompts.interactive(session::get)
          && ask(session, plan.ungranted()) ? call(() -> installer.plan(change.with(Change.Option.GRANT))) : plan;
      call(() -> installer.apply(approved));
      printGranted(approved);
      Plugin p = call(() -> plugins.find(String.valueOf(id)).orElseThrow(() -> new PluginException("Plugin " + id
          + " went away during its update")));
      System.out.println("Updated " + p.symbolicName() + " to " + p.version() + ": " + p.state());
    }
  }

  @Descriptor("uninstall plugins as one plan, with their data and configurations unless --keep-data; refused when"
      + " other plugins need them, unless they are named too or --force")
  public void uninstall(CommandSession session,
      @Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
          absentValue = "false") boolean help,
      @Descriptor("keep the data area and configurations for a later install") @Parameter(names = "--keep-data",
          presentValue = "true", absentValue = "false") boolean keepData,
      @Descriptor("print the plan and change nothing") @Parameter(names = "--dry-run", presentValue = "true",
          absentValue = "false") boolean dryRun,
      @Descriptor("uninstall even when other plugins need them: those stay installed, unresolved")
          @Parameter(names = "--force", presentValue = "true", absentValue = "false") boolean force,
      @Descriptor("plugin ids, names or name/version") String... refs) {
    if (help) {
      io.dockevos.common.internal.CommandHelp.print(this, "plugin:uninstall");
      return;
    }
    if (refs.length == 0) {
      throw new IllegalArgumentException("plugin:uninstall needs a plugin: plugin:uninstall [--keep-data] [--force]"
          + " [--dry-run] REF...");
    }
    if (refs.length == 1 && !dryRun && ExternalDelegate.lifecycle(external, refs[0], plugins.find(refs[0]).isPresent(),
        (p, n) -> {
          p.uninstall(n);
          return null;
        }, System.out)) {
      return;
    }
    java.util.Set<Change.Option> options = java.util.EnumSet.noneOf(Change.Option.class);
    if (keepData) {
      options.add(Change.Option.KEEP_DATA);
    }
    if (force) {
      options.add(Change.Option.PARTIAL);
    }
    Change change = new Change(java.util.Arrays.stream(refs).map(Change.Item::uninstall).toList(), Change.Scope.GIVEN,
        options, "plugin:uninstall", who(session));
    Plan plan = call(() -> installer.plan(change));
    if (dryRun) {
      io.dockevos.common.internal.PlanPrinter.print(System.out, plan, "nothing was changed (--dry-run)");
      return;
    }
    Outcome outcome = call(() -> installer.apply(plan));
    for (Plan.Refused r : outcome.refused()) {
      System.out.println("Not uninstalled: " + r.reason());
    }
    for (Plan.Step s : plan.steps(Change.Op.UNINSTALL)) {
      System.out.println("Uninstalled " + s.identity() + (keepData ? " (its data and configurations are kept)" : ""));
    }
    for (Plan.Stopped s : plan.stopped()) {
      System.out.println("Left unresolved: " + s.identity());
    }
    if (!outcome.refused().isEmpty()) {
      throw new IllegalStateException(outcome.refused().size() + " of " + refs.length + " plugins were not uninstalled");
    }
  }

  @Descriptor("say why a plugin is not ACTIVE, or which of its components are not, and what to do")
  public void diag(
      @Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
          absentValue = "false") boolean help,
      @Descriptor("print JSON") @Parameter(names = "--json", presentValue = "true", absentValue = "false")
          boolean json,
      @Descriptor("plugin id, name or name/version") String ref) {
    if (help) {
      io.dockevos.common.internal.CommandHelp.print(this, "plugin:diag");
      return;
    }
    // An unknown or ambiguous name: the manager's diagnose says which, as every plugin:* command does.
    Plugin p = plugins.find(ref).orElseGet(() -> call(() -> plugins.diagnose(ref)).plugin());
    BundleDiagnosis d = diagnostics.diagnose(p.id(), Diagnostics.Depth.CANDIDATES)
        .orElseThrow(() -> new IllegalStateException("No plugin " + ref + ": it was uninstalled meanwhile"));
    boolean healthy = d.problems().isEmpty() && d.missing().isEmpty();
    PrintStream out = System.out;
    if (json) {
      out.println(Json.pretty(io.dockevos.common.internal.DiagnosisJson.of(p, d)));
      return;
    }
    if (healthy) {
      out.println(p.symbolicName() + " " + p.version() + " is " + p.state() + "; "
          + (p.components().active() > 0 ? "its " + p.components().active() + " components are active; " : "")
          + "nothing is wrong.");
      return;
    }
    d.problems().forEach(out::println);
    if (!d.fixes().isEmpty()) {
      out.println();
      out.println("What to do:");
      d.fixes().forEach(f -> out.println("  " + f));
    }
  }

  /** {@code plugin:diag} without its arguments: its help with {@code --help}, else what it needs. */
  public void diag(@Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
      absentValue = "false") boolean help) {
    io.dockevos.common.internal.CommandHelp.withoutArguments(this, "plugin:diag", help);
  }

  private static void printState(Plugin p) {
    System.out.println(p.symbolicName() + " " + p.version() + ": " + p.state());
  }

  private java.util.Optional<io.dockevos.plugin.internal.trust.Signatures.Signer> signer(Plugin p) {
    return installer instanceof PluginManagerImpl m ? m.signer(p.id()) : java.util.Optional.empty();
  }

  static Map<String, Object> toMap(Plugin p) {
    return io.dockevos.common.internal.PluginJson.of(p);
  }

  private static void section(PrintStream out, String title, List<String> lines) {
    out.println(title + (lines.isEmpty() ? ": none" : ":"));
    lines.forEach(l -> out.println("  " + l));
  }

}
