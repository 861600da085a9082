package io.dockevos.webconsole.internal;

import io.dockevos.systemlog.CommandHistory;
import io.dockevos.systemlog.CommandRecord;
import java.time.Instant;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * Keeps each action of the Web Console in the command history ({@code history}), as the REST API does:
 * the user ({@code admin}, or {@code token NAME}), the origin {@value #ORIGIN}, what was done, and
 * whether it failed.
 */
@Component(service = Audit.class)
public final class Audit {
  static final String ORIGIN = "webconsole";
  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
  private volatile CommandHistory history;

  void record(String user, String command, long startNanos, String error) {
    CommandHistory h = history;
    if (h != null) {
      h.record(new CommandRecord(Instant.now(), user, ORIGIN, command, (System.nanoTime() - startNanos) / 1_000_000,
          error == null ? CommandRecord.Status.OK : CommandRecord.Status.FAILED, error));
    }
  }
}
