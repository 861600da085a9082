package io.dockevos.fallback;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The catalog of manual procedures, keyed by problem.
 *
 * @since 0.1
 */
@ProviderType
public interface ProcedureCatalog {
  /** Every procedure, sorted by problem. */
  List<Procedure> procedures();

  /** The procedure for a problem key, if the catalog has one. */
  Optional<Procedure> find(String problem);
}
