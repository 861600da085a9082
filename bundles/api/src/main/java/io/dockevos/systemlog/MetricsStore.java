package io.dockevos.systemlog;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The time series of {@link Sample}s taken at a configured interval, bounded, kept across restarts.
 *
 * @since 0.1
 */
@ProviderType
public interface MetricsStore {
  /** @return the interval between two samples */
  Duration interval();

  /** @return the most recent sample, if any was taken */
  Optional<Sample> latest();

  /**
   * @param since the earliest time, or {@code null} for the whole series
   * @return the samples taken since then, oldest first
   */
  List<Sample> since(Instant since);

  /** @return a sample taken now (it is not added to the series) */
  Sample sampleNow();
}
