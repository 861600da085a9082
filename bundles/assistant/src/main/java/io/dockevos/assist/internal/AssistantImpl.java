package io.dockevos.assist.internal;

import io.dockevos.api.Host;
import io.dockevos.assist.AppliedFix;
import io.dockevos.assist.AssistEvents;
import io.dockevos.assist.Assistant;
import io.dockevos.assist.Diagnosis;
import io.dockevos.assist.ErrorAnalyzer;
import io.dockevos.assist.Fix;
import io.dockevos.assist.Risk;
import io.dockevos.error.ErrorHandler;
import io.dockevos.error.Incident;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The assistant: the whiteboard of analyzers, the ranking, applying a fix with its check and
 * rollback, the history. A delayed component: nothing runs until a command or the policy asks.
 */
@Component(service = Assistant.class, configurationPid = AssistConfig.PID,
    configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = AssistConfig.class)
public final class AssistantImpl implements Assistant {
  private static final Logger LOG = LoggerFactory.getLogger(AssistantImpl.class);
  /** The values {@code autoApply} takes. */
  static final List<String> AUTO_APPLY = List.of("SAFE", "NONE");

  @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
      policyOption = ReferencePolicyOption.GREEDY)
  volatile List<ErrorAnalyzer> analyzers = List.of();
  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
      policyOption = ReferencePolicyOption.GREEDY)
  volatile ErrorHandler errors;
  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
      policyOption = ReferencePolicyOption.GREEDY)
  volatile EventAdmin events;

  /**
   * The incidents (id and count) already published as SUGGESTED: assist:fix analyses again, and an
   * incident seen again is suggested again, but the same sighting is suggested once.
   */
  private final java.util.Set<String> suggested = java.util.Collections.synchronizedSet(java.util.Collections.newSetFromMap(
      new java.util.LinkedHashMap<String, Boolean>() {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
          return size() > 1000;
        }
      }));
  private final Path historyFile;
  private final CodeGuard guard;
  private volatile FixHistory history;
  private volatile String autoApply;

  @Activate
  public AssistantImpl(BundleContext context, AssistConfig config) {
    this(Path.of(property(context, Host.DATA_PROPERTY, Path.of(property(context, Host.HOME_PROPERTY, "."))
        .resolve("data").toString())).resolve("assist").resolve("fixes.json"), config.historySize(), config.autoApply(),
        new CodeGuard(context));
  }

  /** Without a framework (unit tests): nothing watches what a fix installs. */
  AssistantImpl(Path historyFile, int historySize, String autoApply) {
    this(historyFile, historySize, autoApply, new CodeGuard(null));
  }

  private AssistantImpl(Path historyFile, int historySize, String autoApply, CodeGuard guard) {
    this.guard = guard;
    this.historyFile = historyFile;
    this.history = new FixHistory(historyFile, historySize);
    configure(historySize, autoApply);
  }

  /** A changed configuration is taken as it is, without a restart that would drop the analyzers bound so far. */
  @org.osgi.service.component.annotations.Modified
  void modified(AssistConfig config) {
    if (config.historySize() != history.size()) {
      history = new FixHistory(historyFile, config.historySize());
    }
    configure(config.historySize(), config.autoApply());
  }

  private void configure(int historySize, String autoApply) {
    this.autoApply = autoApply == null ? "NONE" : autoApply.trim();
    if (!AUTO_APPLY.contains(this.autoApply)) {
      LOG.error("Shell assistant: {}", policy());
    }
  }

  private static String property(BundleContext context, String key, String fallback) {
    String v = context.getProperty(key);
    return v == null ? fallback : v;
  }

  /** @return what {@code autoApply} is set to, and whether it is valid, in words */
  String policy() {
    if (!AUTO_APPLY.contains(autoApply)) {
      return "autoApply = '" + autoApply + "' in the configuration " + AssistConfig.PID + " is not valid: it must be one"
          + " of " + String.join(", ", AUTO_APPLY) + "; no fix applies by itself until it is";
    }
    return "autoApply = " + autoApply + (autoApply.equals("SAFE")
        ? ": fixes marked SAFE (they add no code) apply by themselves when an incident is reported"
        : ": no fix applies by itself; assist:fix applies one");
  }

  @Override
  public List<Diagnosis> analyze(Incident incident) {
    List<Diagnosis> all = new ArrayList<>();
    for (ErrorAnalyzer a : analyzers) {
      try {
        List<Diagnosis> d = a.analyze(incident);
        if (d != null) {
          for (Diagnosis x : d) {
            // Whoever made a fix, one that adds code is not SAFE.
            all.add(new Diagnosis(x.analyzer(), x.cause(), x.confidence(), x.fixes().stream().map(CodeGuard::effective)
                .toList()));
          }
        }
      } catch (RuntimeException | LinkageError e) {
        LOG.warn("The analyzer {} failed on incident {}: {}", name(a), incident.id(), e.toString(), e);
      }
    }
    all.sort(Comparator.comparingDouble(Diagnosis::confidence).reversed().thenComparing(Diagnosis::analyzer));
    int fixes = all.stream().mapToInt(d -> d.fixes().size()).sum();
    if (fixes > 0 && suggested.add(incident.id() + "#" + incident.count())) {
      Map<String, Object> props = new HashMap<>();
      props.put(AssistEvents.INCIDENT_ID, incident.id());
      props.put(AssistEvents.FIXES, fixes);
      props.put(AssistEvents.CAUSE, all.get(0).cause());
      put(props, AssistEvents.PLUGIN_ID, incident.pluginId());
      send(AssistEvents.SUGGESTED, props);
    }
    return all;
  }

  private static String name(ErrorAnalyzer a) {
    try {
      return a.name();
    } catch (RuntimeException e) {
      return a.getClass().getName();
    }
  }

  @Override
  public AppliedFix apply(Incident incident, Fix given, String by) {
    Fix fix = CodeGuard.effective(given);
    if (Assistant.BY_POLICY.equals(by) && fix.risk() != Risk.SAFE) {
      throw new IllegalArgumentException("'" + fix.description() + "' is " + fix.risk() + (fix.addsCode()
          ? " (it adds code)" : "") + ": the policy applies by itself only SAFE fixes, which add no code; assist:fix"
          + " applies it once a person has reviewed it");
    }
    if (fix.risk() == Risk.MANUAL) {
      throw new IllegalArgumentException("'" + fix.description() + "' is a manual procedure: a person follows its"
          + " steps; nothing is applied");
    }
    ErrorHandler handler = errors;
    try (ErrorHandler.Hold hold = handler != null ? handler.holdResolution(incident.id()) : () -> {}) {
      return applyHeld(incident, fix, by, handler);
    }
  }

  /** Applies a fix while the error handler holds the incident's resolution, so APPLIED comes first. */
  private AppliedFix applyHeld(Incident incident, Fix fix, String by, ErrorHandler handler) {
    Instant at = Instant.now();
    boolean worked = false;
    boolean rolledBack = false;
    String result;
    // The policy applies SAFE fixes only, which add no code: it checks that they keep their word.
    CodeGuard.Watch watch = Assistant.BY_POLICY.equals(by) ? guard.watch() : null;
    try {
      try {
        String did = fix.apply();
        Optional<String> code = watch == null ? Optional.empty() : watch.added();
        Optional<String> still;
        try {
          still = code.isPresent() ? Optional.empty() : fix.verify();
        } catch (Exception e) {
          still = Optional.of("its check failed: " + message(e));
        }
        if (code.isPresent()) {
          result = addedCode(code.get());
        } else if (still.isEmpty()) {
          worked = true;
          result = did == null || did.isBlank() ? "applied" : did;
        } else {
          result = (did == null || did.isBlank() ? "applied" : did) + "; but it did not work: " + still.get();
        }
      } catch (Exception | LinkageError e) {
        Optional<String> code = watch == null ? Optional.empty() : watch.added();
        result = code.isPresent() ? addedCode(code.get()) : "it could not be applied: " + message(e);
      }
      if (!worked) {
        try {
          fix.rollback();
          rolledBack = true;
          result += "; rolled back";
        } catch (Exception | LinkageError e) {
          result += "; the rollback failed too: " + message(e);
        }
        if (watch != null) {
          for (String problem : watch.undo()) {
            result += "; " + problem;
          }
        }
      }
    } finally {
      if (watch != null) {
        watch.close();
      }
    }
    AppliedFix applied = new AppliedFix(at, incident.id(), fix.description(), fix.risk(), by, worked, rolledBack, result);
    history.add(applied);
    Map<String, Object> props = new HashMap<>();
    props.put(AssistEvents.INCIDENT_ID, incident.id());
    props.put(AssistEvents.FIX, fix.description());
    props.put(AssistEvents.BY, by);
    props.put(AssistEvents.RESULT, result);
    props.put(AssistEvents.RISK, fix.risk().name());
    put(props, AssistEvents.PLUGIN_ID, incident.pluginId());
    send(worked ? AssistEvents.APPLIED : AssistEvents.FAILED, props);
    if (worked) {
      LOG.info("Fix applied for incident {} by {}: {}: {}", incident.id(), by, fix.description(), result);
      if (handler != null) {
        try {
          handler.setStatus(incident.id(), Incident.Status.FIXED);
        } catch (RuntimeException e) {
          LOG.warn("The error handler did not set incident {} FIXED: {}", incident.id(), e.toString());
        }
      }
    } else {
      LOG.warn("A fix for incident {} did not work ({}): {}: {}", incident.id(), by, fix.description(), result);
    }
    return applied;
  }

  @Override
  public List<AppliedFix> history() {
    return history.all();
  }

  Path historyFile() {
    return history.file();
  }

  private static void put(Map<String, Object> props, String key, String value) {
    if (value != null) {
      props.put(key, value);
    }
  }

  /**
   * Sent synchronously, so that SUGGESTED and APPLIED reach every handler before the error handler's
   * RESOLVED, which setStatus publishes after them: a subscriber sees the recovery flow in its order.
   */
  private void send(String topic, Map<String, Object> props) {
    EventAdmin ea = events;
    if (ea != null) {
      try {
        ea.sendEvent(new Event(topic, props));
      } catch (RuntimeException e) {
        LOG.warn("Cannot publish {}: {}", topic, e.toString());
      }
    }
  }

  /** Why a fix that the policy applied failed: it said it adds no code, and it installed some. */
  private static String addedCode(String what) {
    return "refused: it installed code (" + what + "), which a SAFE fix that the policy applies by itself may not;"
        + " none of it ran (it was kept from resolving), and it is uninstalled; assist:fix applies a fix that adds code"
        + " once a person has reviewed it";
  }

  static String message(Throwable e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
