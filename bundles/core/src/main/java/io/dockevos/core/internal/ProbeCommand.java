package io.dockevos.core.internal;

import io.dockevos.common.internal.BootBundles;
import io.dockevos.common.internal.CommandHelp;
import io.dockevos.error.ErrorHandler;
import io.dockevos.error.Incident;
import java.util.ArrayList;
import java.util.List;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * {@code dockevos:probe live|ready}, the exec probes of a container engine without a port
 * ({@code bin/dockevos status --live}, {@code --ready}). Live: the framework runs and answers. Ready:
 * also every bundle of the boot features is active (a fragment resolved), no CRITICAL incident
 * is open, and the desired state (docs/state.md), when there is a state file, has been applied. It
 * prints one line, and fails (the client exits 1) when the probe does not pass, naming
 * why.
 */
@Component(configurationPolicy = ConfigurationPolicy.IGNORE, service = ProbeCommand.class,
    property = {"osgi.command.scope=dockevos", "osgi.command.function=probe"})
public final class ProbeCommand {
  private final BundleContext context;
  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
  private volatile ErrorHandler errors;
  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
  private volatile io.dockevos.feature.DesiredState state;

  @Activate
  public ProbeCommand(BundleContext context) {
    this.context = context;
  }

  @Descriptor("the container probes: live (the runtime runs and answers) or ready (also every boot bundle active,"
      + " no CRITICAL incident open and the desired state applied); fails, naming why, when the probe does not pass")
  public void probe(
      @Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
          absentValue = "false") boolean help,
      @Descriptor("live or ready") String which) {
    if (help) {
      CommandHelp.print(this, "dockevos:probe");
      return;
    }
    switch (which) {
      case "live" -> System.out.println("live");
      case "ready" -> {
        List<String> why = notReady();
        if (!why.isEmpty()) {
          throw new IllegalStateException("not ready: " + String.join("; ", why));
        }
        System.out.println("ready");
      }
      default -> throw new IllegalArgumentException("'" + which + "' is no probe: live or ready");
    }
  }

  @Descriptor("the container probes: live (the runtime runs and answers) or ready (also every boot bundle active,"
      + " no CRITICAL incident open and the desired state applied); fails, naming why, when the probe does not pass")
  public void probe(@Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
      absentValue = "false") boolean help) {
    CommandHelp.withoutArguments(this, "dockevos:probe", help);
  }

  /** @return why the runtime is not ready, or nothing */
  List<String> notReady() {
    List<String> why = new ArrayList<>();
    List<String> waiting = new ArrayList<>();
    for (Bundle b : context.getBundles()) {
      boolean fragment = b.getHeaders("").get(Constants.FRAGMENT_HOST) != null;
      boolean up = fragment ? b.getState() == Bundle.RESOLVED || b.getState() == Bundle.ACTIVE
          : b.getState() == Bundle.ACTIVE;
      if (BootBundles.isBoot(b) && !up) {
        waiting.add(b.getSymbolicName() + " (" + state(b.getState()) + ")");
      }
    }
    if (!waiting.isEmpty()) {
      why.add("boot bundles not active: " + String.join(", ", waiting));
    }
    ErrorHandler e = errors;
    if (e == null) {
      why.add("the error handler is not running");
    } else {
      List<String> critical = e.incidents(false).stream().filter(i -> i.severity() == Incident.Severity.CRITICAL)
          .map(i -> i.id() + " " + i.summary()).toList();
      if (!critical.isEmpty()) {
        why.add("CRITICAL incidents open: " + String.join(", ", critical));
      }
    }
    String desired = desiredState();
    if (desired != null) {
      why.add(desired);
    }
    return why;
  }

  /** @return why the desired state holds readiness back: its file exists and has not been applied; or null */
  private String desiredState() {
    io.dockevos.feature.DesiredState s = state;
    if (s != null) {
      io.dockevos.feature.DesiredState.Status st = s.status();
      return st.ready() ? null : "the desired state " + st.file() + " is not applied " + (st.problem() != null
          ? "(" + st.problem() + ")" : "yet");
    }
    String home = context.getProperty("dockevos.home");
    String f = context.getProperty(io.dockevos.feature.DesiredState.FILE_PROPERTY);
    java.nio.file.Path file = java.nio.file.Path.of(home == null ? "." : home).resolve(f == null || f.isBlank()
        ? io.dockevos.feature.DesiredState.DEFAULT_FILE : f.trim());
    return java.nio.file.Files.exists(file) ? "the desired state " + file.toAbsolutePath().normalize()
        + " is not applied: the feature manager does not run" : null;
  }

  private static String state(int s) {
    return switch (s) {
      case Bundle.INSTALLED -> "INSTALLED";
      case Bundle.RESOLVED -> "RESOLVED";
      case Bundle.STARTING -> "STARTING";
      case Bundle.STOPPING -> "STOPPING";
      default -> String.valueOf(s);
    };
  }
}
