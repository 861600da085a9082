package io.dockevos.alternative.internal;

import io.dockevos.common.internal.Json;
import io.dockevos.fallback.Procedure;
import io.dockevos.fallback.ProcedureCatalog;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.util.tracker.BundleTracker;

/**
 * The {@link ProcedureCatalog}: the procedures of {@code procedures.json} in this bundle, plus those
 * of every active bundle whose manifest has {@value #HEADER}, a path to a JSON file of the same form.
 * For a {@code tool-missing/TOOL} that nothing describes it makes a generic procedure.
 */
@Component(configurationPolicy = ConfigurationPolicy.IGNORE, service = ProcedureCatalog.class)
public final class ProcedureCatalogImpl implements ProcedureCatalog {
  /** The manifest header with which a plugin contributes procedures. */
  static final String HEADER = "Dockevos-Procedures";

  private final Map<String, Procedure> builtIn;
  private final Map<Long, List<Procedure>> contributed = new ConcurrentHashMap<>();
  private final BundleTracker<Long> tracker;
  private final Logger log;

  @Activate
  public ProcedureCatalogImpl(BundleContext context, @Reference(service = LoggerFactory.class) Logger log) {
    this.log = log;
    Map<String, Procedure> m = new TreeMap<>();
    for (Procedure p : read(ProcedureCatalogImpl.class.getResource("procedures.json"), "the alternative's procedures.json")) {
      m.put(p.problem(), p);
    }
    this.builtIn = m;
    tracker = new BundleTracker<>(context, Bundle.ACTIVE, null) {
      @Override
      public Long addingBundle(Bundle bundle, BundleEvent event) {
        String path = bundle.getHeaders("").get(HEADER);
        if (path == null) {
          return null;
        }
        URL url = bundle.getEntry(path.strip());
        if (url == null) {
          ProcedureCatalogImpl.this.log.error(bundle.getSymbolicName() + ": its " + HEADER + " names " + path + ", which it does not contain");
          return null;
        }
        try {
          contributed.put(bundle.getBundleId(), read(url, bundle.getSymbolicName() + " " + path));
        } catch (RuntimeException e) {
          ProcedureCatalogImpl.this.log.error(e.getMessage());
          return null;
        }
        return bundle.getBundleId();
      }

      @Override
      public void removedBundle(Bundle bundle, BundleEvent event, Long id) {
        contributed.remove(id);
      }
    };
    tracker.open();
  }

  @Deactivate
  void close() {
    tracker.close();
  }

  static List<Procedure> read(URL url, String what) {
    try (InputStream in = url.openStream()) {
      JsonObject o = Json.read(in);
      List<Procedure> out = new ArrayList<>();
      for (JsonValue v : o.getJsonArray("procedures")) {
        JsonObject p = v.asJsonObject();
        out.add(new Procedure(p.getString("problem"), p.getString("title"),
            p.getJsonArray("steps").getValuesAs(JsonString.class).stream().map(JsonString::getString).toList()));
      }
      return out;
    } catch (Exception e) {
      throw new IllegalArgumentException("cannot read the procedures of " + what + ": " + e.getMessage(), e);
    }
  }

  @Override
  public List<Procedure> procedures() {
    Map<String, Procedure> all = new TreeMap<>(builtIn);
    contributed.values().forEach(list -> list.forEach(p -> all.put(p.problem(), p)));
    return List.copyOf(all.values());
  }

  @Override
  public Optional<Procedure> find(String problem) {
    if (problem == null) {
      return Optional.empty();
    }
    for (Procedure p : procedures()) {
      if (p.problem().equals(problem)) {
        return Optional.of(p);
      }
    }
    if (problem.startsWith(Procedure.TOOL_MISSING_PREFIX) && problem.length() > Procedure.TOOL_MISSING_PREFIX.length()) {
      String tool = problem.substring(Procedure.TOOL_MISSING_PREFIX.length());
      return Optional.of(new Procedure(problem, "Install " + tool, List.of(
          "No package is known for " + tool + ": on Debian, look for one with apt-cache search " + tool
              + " (or apt-file search bin/" + tool + "), then apt-get install -y PACKAGE.",
          "Check that " + tool + " is on the PATH of the user that runs dockevOS: command -v " + tool,
          "Run hw:check again.")));
    }
    return Optional.empty();
  }
}
