package io.dockevos.plugin.internal;

import io.dockevos.api.Host;
import io.dockevos.plugin.BundleDiagnosis;
import io.dockevos.plugin.ComponentDiagnosis;
import io.dockevos.plugin.Diagnosis;
import io.dockevos.plugin.Diagnostics;
import io.dockevos.plugin.Plugin;
import io.dockevos.plugin.PluginDetails;
import io.dockevos.plugin.PluginException;
import io.dockevos.plugin.PluginState;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;

/**
 * What the plugin manager shows of plugins: their list, state, details and diagnosis, read from the
 * framework, Declarative Services and the registry. It changes nothing.
 */
final class PluginViews {
  private final PluginManagerImpl m;

  PluginViews(PluginManagerImpl manager) {
    this.m = manager;
  }

  List<Plugin> list() {
    List<Plugin> result = new ArrayList<>();
    for (Bundle b : m.context.getBundles()) {
      if (b.getBundleId() != 0) {
        result.add(plugin(b));
      }
    }
    return result;
  }

  Optional<Plugin> find(String ref) {
    try {
      return Optional.of(plugin(bundle(ref)));
    } catch (PluginException e) {
      return Optional.empty();
    }
  }

  /** The bundle that {@code ref} names: an id, a symbolic name, or {@code name/version}. */
  Bundle bundle(String ref) throws PluginException {
    String r = ref == null ? "" : ref.trim();
    if (r.matches("\\d+")) {
      Bundle b = m.context.getBundle(Long.parseLong(r));
      if (b == null || b.getBundleId() == 0) {
        throw new PluginException("No plugin with id " + r + "; plugin:list --all shows every plugin");
      }
      return b;
    }
    String name = r;
    String version = null;
    int slash = r.indexOf('/');
    if (slash > 0) {
      name = r.substring(0, slash);
      version = r.substring(slash + 1);
    }
    List<Bundle> matches = new ArrayList<>();
    for (Bundle b : m.context.getBundles()) {
      if (name.equals(b.getSymbolicName()) && (version == null || b.getVersion().toString().equals(version))) {
        matches.add(b);
      }
    }
    if (matches.isEmpty()) {
      throw new PluginException("No plugin named " + r + "; plugin:list --all shows every plugin");
    }
    if (matches.size() > 1) {
      throw new PluginException("Several plugins are named " + r + ": " + matches.stream()
          .map(b -> b.getBundleId() + " (" + b.getVersion() + ")").toList() + "; name one by its id or as "
          + name + "/VERSION");
    }
    return matches.get(0);
  }

  Plugin plugin(Bundle b) {
    Registry.Entry e = entry(b);
    String name = b.getHeaders("").get(Constants.BUNDLE_NAME);
    PluginState state = state(b, e);
    return new Plugin(b.getBundleId(), String.valueOf(b.getSymbolicName()), b.getVersion().toString(),
        name == null ? String.valueOf(b.getSymbolicName()) : name, state,
        state == PluginState.FAILED ? e.reason() : null, components(b), e.source(), e.installed(), e.updated(),
        isBoot(b), m.trust.level(b, () -> jarOf(b)));
  }

  /**
   * @return the jar a bundle was installed from: the manager's copy, else the file its location
   *     names (a boot bundle's {@code reference:file:}, a deploy-folder file); {@code null} when unknown
   */
  Path jarOf(Bundle bundle) {
    Path copy = m.storeFile(bundle);
    if (java.nio.file.Files.isRegularFile(copy)) {
      return copy;
    }
    String location = bundle.getLocation();
    String uri = location.startsWith("reference:") ? location.substring("reference:".length()) : location;
    try {
      return uri.startsWith("file:") ? Path.of(java.net.URI.create(uri)) : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** @return the signer of a plugin's jar, if it is signed */
  java.util.Optional<io.dockevos.plugin.internal.trust.Signatures.Signer> signer(long bundleId) {
    Bundle b = m.context.getBundle(bundleId);
    return b == null ? java.util.Optional.empty() : m.trust.signer(b, () -> jarOf(b));
  }

  /** @return the plugin's trust level, against the trust store as it is now */
  io.dockevos.plugin.TrustLevel trust(long bundleId) {
    Bundle b = m.context.getBundle(bundleId);
    return b == null ? io.dockevos.plugin.TrustLevel.UNSIGNED : m.trust.level(b, () -> jarOf(b));
  }

  private static PluginState state(Bundle b, Registry.Entry e) {
    int s = b.getState();
    if (s == Bundle.ACTIVE) {
      return PluginState.ACTIVE;
    }
    if (s == Bundle.STARTING) {
      return PluginState.STARTING;
    }
    if (s == Bundle.STOPPING) {
      return PluginState.STOPPING;
    }
    if (e.disabled()) {
      return PluginState.DISABLED;
    }
    if (e.reason() != null) {
      return PluginState.FAILED;
    }
    return s == Bundle.RESOLVED ? PluginState.RESOLVED : PluginState.INSTALLED;
  }

  /** The registry's entry, or one made up from what the framework knows (boot and deploy-folder bundles). */
  Registry.Entry entry(Bundle b) {
    Registry.Entry e = m.registry.get(b.getLocation());
    return e != null ? e : new Registry.Entry(sourceOf(b), Instant.ofEpochMilli(b.getLastModified()), null, false,
        null);
  }

  String sourceOf(Bundle b) {
    Registry.Entry e = m.registry.get(b.getLocation());
    if (e != null) {
      return e.source();
    }
    String location = b.getLocation();
    if (isBoot(b)) {
      return "boot";
    }
    if (location.startsWith("file:")) {
      try {
        Path p = Path.of(java.net.URI.create(location));
        Path deploy = Path.of(m.property(Host.DEPLOY_PROPERTY, m.home.resolve("deploy").toString()));
        if (p.getParent() != null && p.getParent().getFileName().toString().equals("deploy-staging")) {
          return deploy.resolve(p.getFileName()).toString();
        }
        return p.toString();
      } catch (IllegalArgumentException ignored) {
        return location;
      }
    }
    return location;
  }

  static boolean isBoot(Bundle b) {
    return io.dockevos.common.internal.BootBundles.isBoot(b);
  }

  private Plugin.Components components(Bundle b) {
    int active = 0;
    int unsatisfied = 0;
    int failed = 0;
    for (ComponentDiagnosis c : BundleDiagnoses.components(m.scr, b)) {
      switch (c.state()) {
        case ACTIVE, SATISFIED -> active++;
        case FAILED_ACTIVATION -> failed++;
        case UNSATISFIED_REFERENCE, UNSATISFIED_CONFIGURATION -> unsatisfied++;
        case DISABLED -> { }
      }
    }
    return active + unsatisfied + failed == 0 ? Plugin.Components.NONE : new Plugin.Components(active, unsatisfied, failed);
  }

  PluginDetails details(String ref) throws PluginException {
    Bundle b = bundle(ref);
    Map<String, String> headers = new LinkedHashMap<>();
    java.util.Dictionary<String, String> h = b.getHeaders("");
    for (String key : List.of(Constants.BUNDLE_NAME, Constants.BUNDLE_DESCRIPTION, Constants.BUNDLE_VENDOR,
        "Bundle-License", Constants.BUNDLE_DOCURL, Constants.BUNDLE_COPYRIGHT, Constants.BUNDLE_ACTIVATOR)) {
      if (h.get(key) != null) {
        headers.put(key, h.get(key));
      }
    }
    List<String> provides = new ArrayList<>();
    List<String> requires = new ArrayList<>();
    BundleWiring bw = b.adapt(BundleWiring.class);
    BundleRevision rev = b.adapt(BundleRevision.class);
    if (rev != null) {
      for (BundleCapability c : rev.getDeclaredCapabilities(null)) {
        if (!c.getNamespace().equals("osgi.identity")) {
          provides.add(c.getNamespace() + " " + c.getAttributes().getOrDefault(c.getNamespace(), c.getAttributes()));
        }
      }
      Map<org.osgi.framework.wiring.BundleRequirement, String> wiredTo = new HashMap<>();
      if (bw != null) {
        for (BundleWire w : bw.getRequiredWires(null)) {
          wiredTo.put(w.getRequirement(), w.getProvider().getSymbolicName() + " " + w.getProvider().getVersion());
        }
      }
      for (org.osgi.framework.wiring.BundleRequirement r : rev.getDeclaredRequirements(null)) {
        String to = wiredTo.get(r);
        String optional = "optional".equals(r.getDirectives().get("resolution")) ? " (optional)" : "";
        requires.add(Requirements.describe(r) + optional + " <- " + (to != null ? to : bw == null ? "not resolved"
            : "unwired"));
      }
    }
    List<String> services = new ArrayList<>();
    ServiceReference<?>[] regs = b.getRegisteredServices();
    if (regs != null) {
      for (ServiceReference<?> r : regs) {
        services.add(String.join(", ", (String[]) r.getProperty(Constants.OBJECTCLASS)) + " [service.id="
            + r.getProperty(Constants.SERVICE_ID) + "]");
      }
    }
    List<String> components = new ArrayList<>();
    for (ComponentDiagnosis c : BundleDiagnoses.components(m.scr, b)) {
      components.add(c.name() + ": " + componentState(c.state()));
    }
    List<String> actions = new ArrayList<>();
    if (regs != null) {
      for (ServiceReference<?> r : regs) {
        Object name = r.getProperty("dockevos.action.name");
        if (name != null) {
          actions.add(name.toString());
        }
      }
    }
    Path data = m.dataArea(b);
    return new PluginDetails(plugin(b), headers, provides, requires, services, components, actions,
        m.configurationPids(b), io.dockevos.common.internal.FileTrees.size(data), data.toString());
  }

  private static String componentState(ComponentDiagnosis.State state) {
    return switch (state) {
      case UNSATISFIED_CONFIGURATION -> "UNSATISFIED (configuration missing)";
      case UNSATISFIED_REFERENCE -> "UNSATISFIED (reference missing)";
      case FAILED_ACTIVATION -> "FAILED";
      default -> state.name();
    };
  }

  /** The words of the bundle's diagnosis, for {@link io.dockevos.plugin.PluginManager#diagnose}. */
  Diagnosis diagnose(String ref) throws PluginException {
    Bundle b = bundle(ref);
    BundleDiagnosis d = m.diagnoses.diagnose(b, Diagnostics.Depth.CANDIDATES);
    if (d == null) {
      throw new PluginException("No plugin " + ref + ": it was uninstalled meanwhile");
    }
    return new Diagnosis(plugin(b), d.problems(), d.missing(), d.fixes());
  }
}
