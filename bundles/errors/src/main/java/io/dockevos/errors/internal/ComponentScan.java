package io.dockevos.errors.internal;

import io.dockevos.error.Incident;
import io.dockevos.error.IncidentProperties;
import io.dockevos.plugin.BundleDiagnosis;
import io.dockevos.plugin.ComponentDiagnosis;
import io.dockevos.plugin.Diagnostics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The error handler's scanned sources, on its thread every half grace period: Declarative Services
 * components that failed to activate or stay unsatisfied, bundles that stay unresolved (both as the
 * {@link Diagnostics} service finds them), and deploy files whose failure went with them.
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
    Diagnostics diag = errors.diagnostics;
    List<BundleDiagnosis> unhealthy = diag == null ? List.of() : diag.unhealthy(Diagnostics.Depth.RUNTIME);
    if (diag != null) {
      components(diag, unhealthy, now, grace);
    }
    Set<Long> unresolved = new HashSet<>();
    for (BundleDiagnosis d : unhealthy) {
      Bundle b = context.getBundle(d.bundleId());
      if (b == null || b.getState() != Bundle.INSTALLED || d.fragment() || d.missing().isEmpty()) {
        continue;
      }
      unresolved.add(d.bundleId());
      long since = unresolvedSince.computeIfAbsent(d.bundleId(), k -> now);
      if (now - since >= grace && since != Long.MIN_VALUE) {
        unresolvedSince.put(d.bundleId(), Long.MIN_VALUE); // reported
        String key = "bundle|" + d.symbolicName() + "|unresolved";
        Incident existing = errors.byFingerprint(Failure.hash(key));
        if (existing == null || IncidentStore.closed(existing)) {
          errors.bundleFailure("framework", d.symbolicName(), d.version(), b, d.who() + " is installed but does not resolve",
              null, Map.of());
        }
      }
    }
    unresolvedSince.keySet().retainAll(unresolved);
    // A file that failed in deploy/ (one that is no jar, or a bundle that failed) and was then
    // deleted: its failure went with it.
    errors.resolveWhere(null, this::deployFileGone, "the file was removed from deploy/");
  }

  /** @return whether the incident is about a file of the deploy folder that is not there any more */
  private boolean deployFileGone(Incident i) {
    String file = "deploy".equals(i.properties().get(IncidentProperties.SUBJECT_KIND))
        ? i.properties().get(IncidentProperties.SUBJECT) : i.properties().get(IncidentProperties.FILE);
    if (file == null) {
      return false;
    }
    try {
      Path p = Path.of(file).toAbsolutePath().normalize();
      String home = context.getProperty(io.dockevos.api.Host.HOME_PROPERTY);
      String configured = context.getProperty(io.dockevos.api.Host.DEPLOY_PROPERTY);
      Path deploy = (configured != null ? Path.of(configured) : Path.of(home != null ? home : ".").resolve("deploy"))
          .toAbsolutePath().normalize();
      return deploy.equals(p.getParent()) && !Files.exists(p);
    } catch (RuntimeException e) {
      return false; // not a path
    }
  }

  /**
   * Components that failed to activate are incidents at once; those that wait for a service, past
   * the grace period. One reported that is satisfied again resolves its incident.
   */
  private void components(Diagnostics diag, List<BundleDiagnosis> unhealthy, long now, long grace) {
    Set<String> failing = new HashSet<>();
    for (BundleDiagnosis d : unhealthy) {
      for (ComponentDiagnosis c : d.failing()) {
        String key = d.bundleId() + "/" + c.name();
        failing.add(key);
        if (c.state() == ComponentDiagnosis.State.FAILED_ACTIVATION) {
          unsatisfiedSince.remove(key);
          if (componentReported.add(key)) {
            componentFailure(d, c);
          }
        } else {
          long since = unsatisfiedSince.computeIfAbsent(key, k -> now);
          if (now - since >= grace && componentReported.add(key)) {
            componentFailure(d, c);
          }
        }
      }
    }
    unsatisfiedSince.keySet().retainAll(failing);
    for (String key : List.copyOf(componentReported)) {
      if (failing.contains(key)) {
        continue;
      }
      int slash = key.indexOf('/');
      String name = key.substring(slash + 1);
      Optional<BundleDiagnosis> bundle = diag.diagnose(Long.parseLong(key.substring(0, slash)),
          Diagnostics.Depth.RUNTIME);
      ComponentDiagnosis c = bundle.flatMap(d -> d.component(name)).orElse(null);
      if (c == null) {
        componentReported.remove(key); // gone with its bundle
      } else if (c.state() == ComponentDiagnosis.State.ACTIVE || c.state() == ComponentDiagnosis.State.SATISFIED) {
        componentReported.remove(key);
        String subject = bundle.get().symbolicName() + "/" + name;
        errors.resolveWhere("component", i -> subject.equals(i.properties().get(IncidentProperties.SUBJECT)),
            "the component " + name + " is " + c.state());
      }
    }
  }

  private void componentFailure(BundleDiagnosis d, ComponentDiagnosis c) {
    String bsn = d.symbolicName();
    Map<String, String> p = new LinkedHashMap<>();
    p.put(IncidentProperties.BUNDLE, bsn);
    p.put(IncidentProperties.BUNDLE_ID, String.valueOf(d.bundleId()));
    p.put(IncidentProperties.COMPONENT, c.name());
    p.put(IncidentProperties.SUBJECT_KIND, "component");
    p.put(IncidentProperties.SUBJECT, bsn + "/" + c.name());
    p.put("component.implementation", String.valueOf(c.implementation()));
    if (!c.configurationPids().isEmpty() && !c.configurationPids().get(0).equals(c.name())) {
      p.put(IncidentProperties.CONFIG_PID, c.configurationPids().get(0));
    }
    p.put(IncidentProperties.COMPONENT_STATE, c.state().name());
    String explained = c.explained(d.who());
    String summary = Character.toUpperCase(explained.charAt(0)) + explained.substring(1);
    String detail;
    if (c.state() == ComponentDiagnosis.State.FAILED_ACTIVATION) {
      String first = c.failureLine();
      p.put(IncidentProperties.MESSAGE, first);
      Matcher m = Pattern.compile("^([\\w.$]+(?:Exception|Error))").matcher(first);
      if (m.find()) {
        p.put(IncidentProperties.EXCEPTION, m.group(1));
      }
      detail = summary + "\n\n" + Objects.requireNonNullElse(c.failure(), "");
    } else {
      p.put(IncidentProperties.REFERENCE, String.join(",", c.unsatisfied().stream()
          .map(ComponentDiagnosis.Reference::name).toList()));
      p.put(IncidentProperties.REFERENCE_INTERFACE, String.join(",", c.unsatisfied().stream()
          .map(ComponentDiagnosis.Reference::interfaceName).toList()));
      detail = summary + ", for longer than " + errors.config().gracePeriodSeconds() + " s";
    }
    errors.record(new Failure("component", bsn, Incident.Severity.ERROR, Failure.oneLine(summary), detail,
        "component|" + bsn + "|" + c.name() + "|" + c.state().name(), p));
  }
}
