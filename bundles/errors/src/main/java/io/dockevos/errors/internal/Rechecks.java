package io.dockevos.errors.internal;

import io.dockevos.error.Incident;
import io.dockevos.error.IncidentProperties;
import io.dockevos.plugin.ComponentDiagnosis;
import io.dockevos.plugin.Diagnostics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/** Whether an incident's cause is still there ({@code error:recheck}): its bundle, its component, its deploy file. */
final class Rechecks {
  private final ErrorHandlerImpl errors;
  private final BundleContext context;

  Rechecks(ErrorHandlerImpl errors, BundleContext context) {
    this.errors = errors;
    this.context = context;
  }

  Optional<Boolean> causePresent(Incident i) {
    String kind = i.properties().get(IncidentProperties.SUBJECT_KIND);
    String subject = i.properties().get(IncidentProperties.SUBJECT);
    if (kind == null || subject == null) {
      return Optional.empty();
    }
    switch (kind) {
      case "bundle" -> {
        List<Bundle> same = java.util.stream.Stream.of(context.getBundles())
            .filter(b -> subject.equals(b.getSymbolicName())).toList();
        if (same.isEmpty()) {
          return Optional.empty();
        }
        return Optional.of(same.stream().noneMatch(b -> b.getState() == Bundle.ACTIVE
            || ErrorHandlerImpl.isFragment(b) && b.getState() == Bundle.RESOLVED));
      }
      case "component" -> {
        int slash = subject.indexOf('/');
        if (slash < 0) {
          return Optional.empty();
        }
        String bsn = subject.substring(0, slash);
        String name = subject.substring(slash + 1);
        for (Bundle b : context.getBundles()) {
          if (bsn.equals(b.getSymbolicName())) {
            Optional<ComponentDiagnosis> c = errors.diagnosis(b.getBundleId(), Diagnostics.Depth.RUNTIME)
                .flatMap(d -> d.component(name));
            if (c.isPresent()) {
              return Optional.of(c.get().state() != ComponentDiagnosis.State.ACTIVE
                  && c.get().state() != ComponentDiagnosis.State.SATISFIED);
            }
          }
        }
        return Optional.empty();
      }
      case "deploy" -> {
        Path file = Path.of(subject);
        if (!Files.exists(file)) {
          return Optional.of(false);
        }
        return Optional.of(Files.exists(file.resolveSibling(file.getFileName() + ".failed")));
      }
      default -> {
        return Optional.empty();
      }
    }
  }

  static String goneReason(Incident i) {
    String kind = i.properties().get(IncidentProperties.SUBJECT_KIND);
    String subject = i.properties().get(IncidentProperties.SUBJECT);
    return switch (Objects.requireNonNullElse(kind, "")) {
      case "bundle" -> subject + " is ACTIVE";
      case "component" -> "the component " + subject + " is satisfied";
      case "deploy" -> "deploy/" + EventSources.fileName(subject) + " no longer fails";
      default -> "the cause is gone";
    };
  }
}
