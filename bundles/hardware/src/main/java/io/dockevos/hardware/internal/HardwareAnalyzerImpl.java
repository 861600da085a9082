package io.dockevos.hardware.internal;

import io.dockevos.common.internal.Json;
import io.dockevos.feature.Feature;
import io.dockevos.feature.FeatureManager;
import io.dockevos.hardware.HardwareAnalyzer;
import io.dockevos.hardware.HardwareEvents;
import io.dockevos.hardware.HardwareInfo;
import io.dockevos.hardware.ResourceSample;
import io.dockevos.hardware.SystemTools;
import io.dockevos.hardware.ToolCheck;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.Version;
import org.osgi.framework.wiring.BundleRequirement;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

/**
 * The {@link HardwareAnalyzer}: OSHI for the facts, {@link ToolProbe} for the system tools. A bundle
 * that starts and declares {@code dockevos.system} requirements is checked at once, on a thread of
 * its own, so that a missing tool is published without anybody running {@code hw:check}.
 */
@Component(configurationPolicy = ConfigurationPolicy.IGNORE, service = HardwareAnalyzer.class, immediate = true)
public final class HardwareAnalyzerImpl implements HardwareAnalyzer, org.osgi.framework.BundleListener {
  private static final Pattern TOOL = Pattern.compile("\\(" + Pattern.quote(SystemTools.NAMESPACE) + "=([^)]+)\\)");
  private static final Pattern VERSION_CLAUSE = Pattern.compile("(\\(!)?\\(version([<>]?=)([^)]+)\\)");

  private final BundleContext context;
  private final EventAdmin events;
  private final ToolCatalog catalog = new ToolCatalog(ToolCatalog.isDebian());
  private final ToolProbe probe = new ToolProbe(Duration.ofSeconds(5));
  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
  private volatile FeatureManager features;
  /** What else requires tools: the external plugins, while their feature runs. */
  @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
  private volatile List<io.dockevos.hardware.ToolRequirements> others = List.of();
  private volatile Detector detector;

  private final org.osgi.service.log.Logger log;

  @Activate
  public HardwareAnalyzerImpl(BundleContext context, @Reference EventAdmin events,
      @Reference(service = org.osgi.service.log.LoggerFactory.class) org.osgi.service.log.Logger log) {
    this.context = context;
    this.events = events;
    this.log = log;
    context.addBundleListener(this);
  }

  private final java.util.concurrent.ExecutorService checker = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "dockevos-tool-check");
    t.setDaemon(true);
    return t;
  });

  @Override
  public void bundleChanged(org.osgi.framework.BundleEvent event) {
    Bundle b = event.getBundle();
    if (event.getType() != org.osgi.framework.BundleEvent.STARTED) {
      return;
    }
    BundleRevision rev = b.adapt(BundleRevision.class);
    if (rev != null && !rev.getDeclaredRequirements(SystemTools.NAMESPACE).isEmpty()) {
      checker.execute(() -> {
        try {
          check(String.valueOf(b.getBundleId()));
        } catch (RuntimeException e) {
          // uninstalled meanwhile: nothing to check
        }
      });
    }
  }

  @org.osgi.service.component.annotations.Deactivate
  void close() {
    context.removeBundleListener(this);
    checker.shutdownNow();
  }

  /** OSHI (and with it JNA's native library) is loaded at the first call, not at activation. */
  private Detector detector() {
    Detector d = detector;
    if (d == null) {
      synchronized (this) {
        if (detector == null) {
          detector = new Detector();
        }
        d = detector;
      }
    }
    return d;
  }

  @Override
  public HardwareInfo info() {
    return detector().info();
  }

  @Override
  public ResourceSample sample() {
    return detector().sample();
  }

  @Override
  public List<ToolCheck> check(String target) {
    Map<String, List<String>> requirements = requirements(target);
    List<ToolCheck> results = new ArrayList<>();
    requirements.forEach((by, filters) -> {
      for (String f : filters) {
        ToolCheck c;
        try {
          c = checkFilter(f, by);
        } catch (IllegalArgumentException e) {
          c = new ToolCheck("?", f, ToolCheck.Status.MISSING, null, null, e.getMessage(), by, f);
        }
        results.add(c);
        if (!c.ok()) {
          publish(c);
        }
      }
    });
    return results;
  }

  private void publish(ToolCheck c) {
    Map<String, Object> p = new HashMap<>();
    p.put(HardwareEvents.TOOL, c.tool());
    p.put(HardwareEvents.REQUIRED, c.required());
    if (c.found() != null) {
      p.put(HardwareEvents.FOUND, c.found());
    }
    p.put(HardwareEvents.HINT, c.hint());
    p.put(HardwareEvents.PLUGIN_ID, c.requiredBy());
    p.put(HardwareEvents.REASON, reason(c));
    log.warn("tool missing: " + reason(c) + "; " + c.hint());
    events.postEvent(new Event(HardwareEvents.TOOL_MISSING, p));
  }

  static String reason(ToolCheck c) {
    return switch (c.status()) {
      case PRESENT -> c.tool() + " " + c.found() + " is present";
      case MISSING -> c.requiredBy() + " requires " + c.tool() + " " + c.required() + ", which is not installed";
      case TOO_OLD -> c.requiredBy() + " requires " + c.tool() + " " + c.required() + ", but "
          + (c.found() == null ? c.path() + " tells no version" : "the installed one is " + c.found());
    };
  }

  @Override
  public ToolCheck checkFilter(String filter, String requiredBy) {
    Filter f;
    try {
      f = FrameworkUtil.createFilter(filter);
    } catch (InvalidSyntaxException e) {
      throw new IllegalArgumentException("the dockevos.system requirement of " + requiredBy + " is not a valid filter: "
          + filter + " (" + e.getMessage() + ")", e);
    }
    Matcher m = TOOL.matcher(filter);
    if (!m.find()) {
      throw new IllegalArgumentException("the dockevos.system requirement of " + requiredBy + " names no tool: " + filter
          + " (expected (dockevos.system=NAME))");
    }
    String tool = m.group(1).strip();
    String required = required(filter);
    ToolProbe.Found found = probe.probe(catalog.tool(tool));
    if (found.path() == null) {
      return new ToolCheck(tool, required, ToolCheck.Status.MISSING, null, null, catalog.hint(tool), requiredBy, filter);
    }
    Map<String, Object> attrs = new HashMap<>();
    attrs.put(SystemTools.NAMESPACE, tool);
    if (found.version() != null) {
      attrs.put(SystemTools.VERSION_ATTRIBUTE, osgi(found.version()));
    }
    boolean ok = f.matches(attrs);
    return new ToolCheck(tool, required, ok ? ToolCheck.Status.PRESENT : ToolCheck.Status.TOO_OLD, found.version(),
        found.path().toString(), ok ? null : "a newer " + tool + " is needed: " + catalog.hint(tool), requiredBy, filter);
  }

  /** "2.39.5" stays; "0.5" becomes 0.5.0; anything past three numbers is dropped. */
  static Version osgi(String v) {
    String[] parts = v.split("\\.");
    int[] n = new int[3];
    for (int i = 0; i < 3 && i < parts.length; i++) {
      n[i] = Integer.parseInt(parts[i]);
    }
    return new Version(n[0], n[1], n[2]);
  }

  /** The version clauses of the filter in short, for example {@code >=20}, or {@code any version}. */
  static String required(String filter) {
    List<String> parts = new ArrayList<>();
    Matcher m = VERSION_CLAUSE.matcher(filter);
    while (m.find()) {
      boolean not = m.group(1) != null;
      String op = m.group(2);
      if (not) {
        op = switch (op) {
          case ">=" -> "<";
          case "<=" -> ">";
          default -> "!=";
        };
      }
      parts.add(op + m.group(3));
    }
    return parts.isEmpty() ? "any version" : String.join(" and ", parts);
  }

  /** Who requires which filters: plugins by symbolic name, features as {@code feature:NAME}. */
  private Map<String, List<String>> requirements(String target) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    boolean matched = false;
    if (target == null || !target.startsWith("feature:")) {
      for (Bundle b : context.getBundles()) {
        if (target != null && !target.equals(b.getSymbolicName()) && !target.equals(String.valueOf(b.getBundleId()))) {
          continue;
        }
        matched = true;
        BundleRevision rev = b.adapt(BundleRevision.class);
        if (rev == null) {
          continue;
        }
        for (BundleRequirement r : rev.getDeclaredRequirements(SystemTools.NAMESPACE)) {
          String filter = r.getDirectives().get("filter");
          if (filter != null) {
            out.computeIfAbsent(b.getSymbolicName(), k -> new ArrayList<>()).add(filter);
          }
        }
      }
    }
    if (target == null || !target.startsWith("feature:")) {
      for (io.dockevos.hardware.ToolRequirements other : others) {
        for (Map.Entry<String, List<String>> e : other.requirements().entrySet()) {
          if (target == null || target.equals(e.getKey())) {
            matched = true;
            if (!e.getValue().isEmpty()) {
              out.put(e.getKey(), e.getValue());
            }
          }
        }
      }
    }
    FeatureManager fm = features;
    if (fm != null && (target == null || target.startsWith("feature:"))) {
      String name = target == null ? null : target.substring("feature:".length());
      for (Feature feature : fm.installed()) {
        if (name != null && !name.equals(feature.name()) && !name.equals(feature.id())) {
          continue;
        }
        matched = true;
        List<String> filters = featureRequirements(feature, home());
        if (!filters.isEmpty()) {
          out.put("feature:" + feature.name(), filters);
        }
      }
    }
    if (target != null && !matched) {
      throw new IllegalArgumentException("no installed plugin or feature is named " + target
          + " (a plugin by id or symbolic name, an external plugin by name, a feature as feature:NAME)");
    }
    return out;
  }

  private Path home() {
    String h = context.getProperty(io.dockevos.api.Host.HOME_PROPERTY);
    return Path.of(h == null ? "." : h);
  }

  /** The feature file's {@code dockevos.system} text extension: one filter a line. */
  static List<String> featureRequirements(Feature feature, Path home) {
    String source = feature.source();
    if (source == null) {
      return List.of();
    }
    try (InputStream in = source.contains(":/") && !source.startsWith("/") ? URI.create(source).toURL().openStream()
        : Files.newInputStream(home.resolve(source))) {
      JsonObject json = Json.read(in);
      JsonObject extensions = json.containsKey("extensions") ? json.getJsonObject("extensions") : JsonValue.EMPTY_JSON_OBJECT;
      JsonValue x = extensions.get(SystemTools.FEATURE_EXTENSION);
      if (x != null && x.getValueType() == JsonValue.ValueType.OBJECT && x.asJsonObject().containsKey("text")) {
        return x.asJsonObject().getJsonArray("text").getValuesAs(JsonString.class).stream().map(JsonString::getString)
            .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
      }
    } catch (Exception e) {
      // a feature whose file is gone or unreadable declares nothing that can be checked
    }
    return List.of();
  }
}
