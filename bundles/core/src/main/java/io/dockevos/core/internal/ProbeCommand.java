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
 * also every bundle of the boot features is active (a fragment resolved), and no CRITICAL incident
 * is open. It prints one line, and fails (the client exits 1) when the probe does not pass, naming
 * why.
 */
@Component(configurationPolicy = ConfigurationPolicy.IGNORE, service = ProbeCommand.class,
    property = {"osgi.command.scope=dockevos", "osgi.command.function=probe"})
public final class ProbeCommand {
  private final BundleContext context;
  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
  private volatile ErrorHandler errors;

  @Activate
  public ProbeCommand(BundleContext context) {
    this.context = context;
  }

  @Descriptor("the container probes: live (the runtime runs and answers) or ready (also every boot bundle active and"
      + " no CRITICAL incident open); fails, naming why, when the probe does not pass")
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

  @Descriptor("the container probes: live (the runtime runs and answers) or ready (also every boot bundle active and"
      + " no CRITICAL incident open); fails, naming why, when the probe does not pass")
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
    return why;
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
