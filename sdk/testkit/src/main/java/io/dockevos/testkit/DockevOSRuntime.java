package io.dockevos.testkit;

import io.dockevos.launcher.CommandResult;
import io.dockevos.launcher.DockevOS;
import io.dockevos.plugin.Diagnosis;
import io.dockevos.plugin.MissingRequirement;
import io.dockevos.plugin.Plugin;
import io.dockevos.plugin.PluginException;
import io.dockevos.plugin.PluginManager;
import io.dockevos.plugin.PluginState;
import io.dockevos.testkit.internal.PluginArtifacts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The embedded dockevOS of a {@link DockevOSTest} class, with the plugin under test installed:
 * inject it as a test parameter. It runs shell commands as the console does, gives services, and
 * updates the plugin from its build.
 *
 * @since 0.1
 */
public final class DockevOSRuntime {
  private final DockevOS dockevos;
  private final Path scratch;
  private final String pluginSource;
  private Path project;
  private Path artifact;
  private String symbolicName;

  private DockevOSRuntime(DockevOS dockevos, Path scratch, String pluginSource) {
    this.dockevos = dockevos;
    this.scratch = scratch;
    this.pluginSource = pluginSource;
  }

  /**
   * Starts a runtime in a fresh temporary home and installs the plugin under test.
   *
   * @param plugin what {@link DockevOSTest#plugin()} says
   * @param project the project directory
   * @throws IllegalStateException when it cannot start or the plugin is not ACTIVE, saying why
   */
  static DockevOSRuntime start(String plugin, Path project, String[] features, Map<String, String> properties) {
    Path home;
    try {
      home = Files.createTempDirectory("dockevos-testkit-");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("Cannot make a temporary home for dockevOS: " + e.getMessage(), e);
    }
    DockevOS.Builder builder = DockevOS.builder().home(home.resolve("home")).frameworkProperties(properties)
        .stopTimeout(Duration.ofSeconds(20));
    if (features.length > 0) {
      builder.features(features);
    }
    DockevOSRuntime runtime = new DockevOSRuntime(builder.build(), home.resolve("scratch"), plugin);
    try {
      runtime.dockevos.start();
      if (!"none".equals(plugin)) {
        runtime.installPluginUnderTest(project);
      }
      return runtime;
    } catch (RuntimeException | Error e) {
      runtime.close();
      throw e;
    }
  }

  private void installPluginUnderTest(Path project) {
    this.project = project;
    artifact = PluginArtifacts.find(pluginSource, project, scratch);
    symbolicName = PluginArtifacts.bundleName(artifact);
    PluginManager plugins = service(PluginManager.class);
    Plugin installed;
    try {
      installed = plugins.install(artifact.toString());
    } catch (PluginException e) {
      throw new IllegalStateException("The plugin under test, " + symbolicName + " (" + PluginArtifacts.origin(artifact)
          + "), could not be installed: " + e.getMessage() + missing(e.getMessage(), e.missing()), e);
    }
    requireActive(plugins, installed, "installed");
  }

  private void requireActive(PluginManager plugins, Plugin plugin, String what) {
    if (plugin.state() == PluginState.ACTIVE) {
      return;
    }
    StringBuilder why = new StringBuilder();
    try {
      Diagnosis d = plugins.diagnose(String.valueOf(plugin.id()));
      d.problems().forEach(p -> why.append("\n  - ").append(p));
      why.append(missing(why.toString(), d.missing()));
      d.fixes().forEach(f -> why.append("\n  fix: ").append(f));
    } catch (PluginException e) {
      why.append("\n  - ").append(e.getMessage());
    }
    throw new IllegalStateException("The plugin under test, " + plugin.symbolicName() + " " + plugin.version()
        + ", was " + what + " but is " + plugin.state() + (plugin.reason() == null ? "" : ": " + plugin.reason())
        + why);
  }

  /** @return the missing requirements that {@code said} does not name already, one a line */
  private static String missing(String said, List<MissingRequirement> missing) {
    StringBuilder s = new StringBuilder();
    for (MissingRequirement m : missing) {
      if (!said.contains(m.toString())) {
        s.append("\n  - missing: ").append(m);
      }
    }
    return s.toString();
  }

  /**
   * Runs one shell command, as the console would.
   *
   * @param command a command line, such as {@code "greeter:greet name=World"}
   * @return its value, its output as the console shows it, and its error in plain words if it failed
   */
  public CommandResult execute(String command) {
    return dockevos.execute(command);
  }

  /**
   * Runs one shell command that must succeed.
   *
   * @return what it printed, followed by its formatted value, as the console shows it
   * @throws AssertionError naming the command and its error when it failed
   */
  public String run(String command) {
    CommandResult r = execute(command);
    if (!r.ok()) {
      throw new AssertionError("'" + command + "' failed: " + r.error() + (r.output().isBlank() ? "" : "\n" + r.output()));
    }
    return r.output();
  }

  /**
   * A service of the runtime, typed, waiting up to 30 s for it; see {@link Service} for the types
   * that work.
   *
   * @throws IllegalStateException when none comes, saying why when the runtime has one of another class space
   */
  public <T> T service(Class<T> type) {
    return service(type, "", Duration.ofSeconds(30));
  }

  /**
   * As {@link #service(Class)}, matching an OSGi filter, waiting up to {@code timeout}.
   *
   * @param filter an OSGi filter, or empty for any
   */
  public <T> T service(Class<T> type, String filter, Duration timeout) {
    BundleContext context = dockevos.bundleContext();
    String f = "(objectClass=" + type.getName() + ")";
    if (filter != null && !filter.isBlank()) {
      f = "(&" + f + filter.strip() + ")";
    }
    ServiceTracker<T, T> tracker;
    try {
      tracker = new ServiceTracker<>(context, context.createFilter(f), null);
    } catch (InvalidSyntaxException e) {
      throw new IllegalArgumentException("Not a valid OSGi filter for " + type.getName() + ": " + filter + " ("
          + e.getMessage() + ")", e);
    }
    tracker.open();
    try {
      tracker.waitForService(Math.max(1, timeout.toMillis()));
      ServiceReference<T> ref = tracker.getServiceReference();
      T service = ref == null ? null : context.getService(ref);
      if (service != null) {
        return service;
      }
      throw new IllegalStateException("No " + type.getName() + " service" + (filter == null || filter.isBlank() ? ""
          + " " : " matching " + filter + " ") + "in " + timeout.toSeconds() + " s" + otherClassSpace(context, f, type));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for " + type.getName(), e);
    } finally {
      tracker.close();
    }
  }

  /** Why a service that the runtime has is not the test's type, when that is so. */
  private static String otherClassSpace(BundleContext context, String filter, Class<?> type) {
    try {
      ServiceReference<?>[] all = context.getAllServiceReferences(null, filter);
      if (all == null || all.length == 0) {
        return "";
      }
      return ": " + all[0].getBundle().getSymbolicName() + " registers one, but of its own class " + type.getName()
          + ", not the test's (its package is private to the bundle, or the test class path has a copy of it);"
          + " use an API type (io.dockevos.*), the ActionService or the shell instead";
    } catch (InvalidSyntaxException e) {
      return "";
    }
  }

  /** @return the plugin under test as the plugin manager sees it now */
  public Plugin plugin() {
    if (symbolicName == null) {
      throw new IllegalStateException("This test runs without a plugin under test (@DockevOSTest(plugin = \"none\"))");
    }
    return service(PluginManager.class).find(symbolicName)
        .orElseThrow(() -> new IllegalStateException("The plugin under test, " + symbolicName + ", is not installed"));
  }

  /** @return the jar that was installed as the plugin under test */
  public Path pluginJar() {
    plugin();
    return artifact;
  }

  /**
   * Updates the plugin under test from its build, as {@code plugin:update} does: its data area
   * stays, and a {@code StatefulPlugin} carries its state across.
   *
   * @return the plugin, ACTIVE again
   * @throws IllegalStateException when the update fails or leaves it not ACTIVE, saying why
   */
  public Plugin update() {
    plugin();
    // Found again: a jar rebuilt since, or target/classes packed anew.
    Path fresh = PluginArtifacts.find(pluginSource, project, scratch);
    PluginManager plugins = service(PluginManager.class);
    try {
      Plugin updated = plugins.update(symbolicName, fresh.toString());
      requireActive(plugins, updated, "updated");
      artifact = fresh;
      return updated;
    } catch (PluginException e) {
      throw new IllegalStateException("Updating the plugin under test, " + symbolicName + ", failed: " + e.getMessage()
          + missing(e.getMessage(), e.missing()), e);
    }
  }

  /** @return the temporary home of this runtime: {@code etc/}, {@code deploy/}, {@code data/} */
  public Path home() {
    return dockevos.home();
  }

  /** @return the embedded runtime itself, for its bundle context and framework */
  public DockevOS dockevos() {
    return dockevos;
  }

  /** Stops the runtime and deletes its temporary home. */
  void close() {
    try {
      dockevos.close();
    } finally {
      PluginArtifacts.deleteTree(scratch.getParent());
    }
  }
}
