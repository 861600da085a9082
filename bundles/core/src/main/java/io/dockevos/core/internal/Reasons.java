package io.dockevos.core.internal;

import io.dockevos.api.Host;
import io.dockevos.install.Plan;
import io.dockevos.plugin.MissingRequirement;
import java.util.List;
import java.util.Objects;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.wiring.BundleRevision;

/**
 * The reasons the deploy folder writes into {@code deploy/<file>.failed}: in plain words, with the
 * bundle's name and version first, built from the typed values the pipeline and the framework give
 * (never from another component's log text).
 */
final class Reasons {
  private final BundleContext context;

  Reasons(BundleContext context) {
    this.context = context;
  }

  /**
   * @param identity the jar's symbolic name and version, or null when unknown
   * @return why the pipeline left a jar out
   */
  String refused(String[] identity, Plan.Refused r) {
    String[] id = identity == null ? new String[] {"?", "?"} : identity;
    String who = "(" + id[0] + " " + id[1] + ")";
    List<MissingRequirement> missing = r.unsatisfied();
    if (missing.isEmpty()) {
      String text = r.reason();
      String prefix = "Cannot install " + r.item().source() + ": ";
      text = text.startsWith(prefix) ? text.substring(prefix.length()) : text;
      String name = id[0] + " " + id[1];
      return text.startsWith(name) ? who + text.substring(name.length()) : who + " cannot be installed: " + text;
    }
    return unresolved(who, missing);
  }

  /** @return why a bundle of the folder failed to start */
  String failed(Bundle bundle, BundleException e, List<MissingRequirement> missing) {
    String who = "(" + bundle.getSymbolicName() + " " + bundle.getVersion() + ")";
    if (e.getType() == BundleException.RESOLVE_ERROR) {
      return missing.isEmpty() ? who + " cannot resolve: " + e.getMessage() : unresolved(who, missing);
    }
    Throwable cause = e.getCause();
    if (e.getType() == BundleException.ACTIVATOR_ERROR && cause != null) {
      while (cause.getCause() != null && cause.getCause() != cause) {
        cause = cause.getCause();
      }
      return who + " failed to start: its activator threw " + cause.getClass().getName() + ": " + cause.getMessage();
    }
    return who + " failed to start: " + e.getMessage();
  }

  /** @return why a bundle cannot resolve: each requirement nothing satisfies, and who offers it */
  String unresolved(String who, List<MissingRequirement> missing) {
    StringBuilder s = new StringBuilder(who).append(" cannot resolve: it requires ")
        .append(String.join("; ", missing.stream().map(this::describe).toList()))
        .append(missing.size() == 1 ? ", which" : ", which each").append(" no installed bundle provides");
    for (MissingRequirement m : missing) {
      if (!m.providers().isEmpty()) {
        s.append(". ").append(m.description()).append(" is available from ").append(String.join(", ", m.providers()));
      }
    }
    return s.toString();
  }

  /** @return the requirement in plain words, with the host's version for a host requirement and the chain that leads to it */
  String describe(MissingRequirement m) {
    String d = m.description();
    if (Host.NAMESPACE.equals(m.namespace()) && !d.contains("this host is")) {
      d += " (this host is " + hostVersion() + ")";
    }
    return m.chain().size() > 1 ? d + " (through " + m.path() + ")" : d;
  }

  private Object hostVersion() {
    BundleRevision system = context.getBundle(0).adapt(BundleRevision.class);
    return system.getCapabilities(Host.NAMESPACE).stream().map(c -> c.getAttributes().get(Host.VERSION_ATTRIBUTE))
        .filter(Objects::nonNull).findFirst().orElse("unknown");
  }
}
