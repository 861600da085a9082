package io.dockevos.errors.internal;

import io.dockevos.error.Incident;
import io.dockevos.error.IncidentProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.ReferenceDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The error handler's scanned sources, on its thread every half grace period: Declarative Services
 * components that failed to activate or stay unsatisfied (the runtime's DTOs), bundles that stay
 * unresolved, and deploy files whose failure went with them.
 */
final class ComponentScan {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorHandlerImpl.class);
  private final ErrorHandlerImpl errors;
  private final BundleContext context;
  /** Components (bundle id/name) first seen unsatisfied, and when, in milliseconds. */
  private final Map<String, Long> unsatisfiedSince = new HashMap<>();
  /** Components whose failure or unsatisfied state is reported already. */
  private final Set<String> componentReported = new HashSet<>();
  /** Bundles first seen unresolved, and when. */
  private final Map<Long, Long> unresolvedSince = new HashMap<>();

  ComponentScan(ErrorHandlerImpl errors, BundleContext context) {
    this.errors = errors;
    this.context = context;
  }

  void scanQuietly() {
    try {
      scan();
    } catch (RuntimeException | LinkageError e) {
      LOG.warn("Cannot scan the components: {}", e.toString(), e);
    }
  }

  void scan() {
    long now = System.currentTimeMillis();
    long grace = TimeUnit.SECONDS.toMillis(Math.max(1, errors.config().gracePeriodSeconds()));
    ServiceComponentRuntime runtime = errors.scr;
    if (runtime != null) {
      Set<String> seen = new HashSet<>();
      for (ComponentDescriptionDTO d : runtime.getComponentDescriptionDTOs()) {
        for (ComponentConfigurationDTO c : runtime.getComponentConfigurationDTOs(d)) {
          String key = d.bundle.id + "/" + d.name;
          seen.add(key);
          switch (c.state) {
            case ComponentConfigurationDTO.FAILED_ACTIVATION -> {
              unsatisfiedSince.remove(key);
              if (componentReported.add(key)) {
                componentFailure(d, c, "failed to activate");
              }
            }
            case ComponentConfigurationDTO.UNSATISFIED_REFERENCE -> {
              long since = unsatisfiedSince.computeIfAbsent(key, k -> now);
              if (now - since >= grace && componentReported.add(key)) {
                componentFailure(d, c, "is unsatisfied");
              }
            }
            case ComponentConfigurationDTO.SATISFIED, ComponentConfigurationDTO.ACTIVE -> {
              unsatisfiedSince.remove(key);
              if (componentReported.remove(key)) {
                String subject = bsnOf(d) + "/" + d.name;
                errors.resolveWhere("component", i -> subject.equals(i.properties().get(IncidentProperties.SUBJECT)),
                    "the component " + d.name + " is " + (c.state == ComponentConfigurationDTO.ACTIVE ? "ACTIVE"
                        : "SATISFIED"));
              }
            }
            default -> unsatisfiedSince.remove(key);
          }
        }
      }
      unsatisfiedSince.keySet().retainAll(seen);
      componentReported.retainAll(seen);
    }
    Set<Long> installed = new HashSet<>();
    for (Bundle b : context.getBundles()) {
      if (b.getState() != Bundle.INSTALLED || ErrorHandlerImpl.isFragment(b)) {
        continue;
      }
      installed.add(b.getBundleId());
      long since = unresolvedSince.computeIfAbsent(b.getBundleId(), k -> now);
      if (now - since >= grace && since != Long.MIN_VALUE && !errors.missing(b).isEmpty()) {
        unresolvedSince.put(b.getBundleId(), Long.MIN_VALUE); // reported
        String key = "bundle|" + b.getSymbolicName() + "|unresolved";
        Incident existing = errors.byFingerprint(Failure.hash(key));
        if (existing == null || IncidentStore.closed(existing)) {
          errors.bundleFailure("framework", b.getSymbolicName(), b.getVersion().toString(), b,
              b.getSymbolicName() + " " + b.getVersion() + " is installed but does not resolve", null, Map.of());
        }
      }
    }
    unresolvedSince.keySet().retainAll(installed);
    // A file that failed in deploy/ and was then deleted: its failure went with it.
    errors.resolveWhere("deploy", i -> !Files.exists(Path.of(i.properties().get(IncidentProperties.SUBJECT))),
        "the file was removed from deploy/");
  }

  private String bsnOf(ComponentDescriptionDTO d) {
    Bundle b = context.getBundle(d.bundle.id);
    return b == null ? String.valueOf(d.bundle.symbolicName) : b.getSymbolicName();
  }

  private void componentFailure(ComponentDescriptionDTO d, ComponentConfigurationDTO c, String what) {
    String bsn = bsnOf(d);
    Map<String, String> p = new LinkedHashMap<>();
    p.put(IncidentProperties.BUNDLE, bsn);
    p.put(IncidentProperties.BUNDLE_ID, String.valueOf(d.bundle.id));
    p.put(IncidentProperties.COMPONENT, d.name);
    p.put(IncidentProperties.SUBJECT_KIND, "component");
    p.put(IncidentProperties.SUBJECT, bsn + "/" + d.name);
    p.put("component.implementation", String.valueOf(d.implementationClass));
    if (d.configurationPid != null && d.configurationPid.length > 0 && !d.configurationPid[0].equals(d.name)) {
      p.put(IncidentProperties.CONFIG_PID, d.configurationPid[0]);
    }
    StringBuilder detail = new StringBuilder("The component " + d.name + " of " + bsn + " " + what);
    String summary;
    if (c.state == ComponentConfigurationDTO.FAILED_ACTIVATION) {
      p.put(IncidentProperties.COMPONENT_STATE, "FAILED_ACTIVATION");
      String failure = Objects.requireNonNullElse(c.failure, "");
      String first = failure.lines().findFirst().orElse("");
      p.put(IncidentProperties.MESSAGE, first);
      Matcher m = Pattern.compile("^([\\w.$]+(?:Exception|Error))").matcher(first);
      if (m.find()) {
        p.put(IncidentProperties.EXCEPTION, m.group(1));
      }
      summary = "The component " + d.name + " of " + bsn + " failed to activate: " + first;
      detail.append(":\n\n").append(failure);
    } else {
      p.put(IncidentProperties.COMPONENT_STATE, "UNSATISFIED_REFERENCE");
      List<String> names = new ArrayList<>();
      List<String> interfaces = new ArrayList<>();
      for (UnsatisfiedReferenceDTO u : c.unsatisfiedReferences) {
        names.add(u.name);
        for (ReferenceDTO r : d.references) {
          if (r.name.equals(u.name)) {
            interfaces.add(r.interfaceName + (u.target != null ? " " + u.target : ""));
          }
        }
      }
      p.put(IncidentProperties.REFERENCE, String.join(",", names));
      p.put(IncidentProperties.REFERENCE_INTERFACE, String.join(",",
          interfaces.stream().map(s -> s.split(" ")[0]).toList()));
      summary = "The component " + d.name + " of " + bsn + " is unsatisfied: no service " + String.join(", ",
          interfaces);
      detail.append(" for longer than ").append(errors.config().gracePeriodSeconds()).append(" s: it needs a service ")
          .append(String.join(", ", interfaces)).append(" (references ").append(String.join(", ", names))
          .append("), and nothing provides it");
    }
    errors.record(new Failure("component", bsn, Incident.Severity.ERROR, Failure.oneLine(summary), detail.toString(),
        "component|" + bsn + "|" + d.name + "|" + p.get(IncidentProperties.COMPONENT_STATE), p));
  }

}
