package io.dockevos.error;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The error handler: every failure of the runtime, de-duplicated into incidents.
 *
 * @since 0.1
 */
@ProviderType
public interface ErrorHandler {
  /** The incidents, newest first; {@code all} includes fixed and ignored ones. */
  List<Incident> incidents(boolean all);

  /** One incident by id. */
  Optional<Incident> incident(String id);

  /**
   * Reports a failure from outside the built-in sources; returns the incident it was counted in.
   *
   * @param source where it came from, as in {@link Incident#source()}
   * @param pluginId the plugin it touches, or {@code null}
   * @param summary in plain words
   * @param error the exception, or {@code null}
   * @param properties what analyzers may need
   */
  Incident report(
      String source,
      String pluginId,
      Incident.Severity severity,
      String summary,
      Throwable error,
      Map<String, String> properties);

  /** Sets an incident's status; FIXED publishes {@link ErrorEvents#RESOLVED}. */
  Incident setStatus(String id, Incident.Status status);

  /** Forgets incidents: one by id, or every one that is fixed or ignored when {@code id} is null. */
  int clear(String id);

  /**
   * Looks again at what caused an incident: the plugin's bundle, the component, the deploy-folder
   * file, the container engine or the resource. When the cause is gone, the incident is marked
   * {@link Incident.Status#FIXED} (and {@link ErrorEvents#RESOLVED} is published) before this
   * returns.
   *
   * @return {@code true} when the cause is still there, {@code false} when it is gone, empty when
   *     the incident is unknown or its cause cannot be checked (a log entry, a failed action, a
   *     report by a plugin)
   * @since 0.1
   */
  Optional<Boolean> recheck(String id);

  /**
   * Holds back the automatic resolution of an incident while a fix for it is applied, so that the
   * fix's own events come before {@link ErrorEvents#RESOLVED}. When the hold is closed, the incident
   * is resolved if its cause went away meanwhile; holds on an unknown incident do nothing.
   *
   * @since 0.1
   */
  Hold holdResolution(String id);

  /** A hold on an incident's automatic resolution; {@link #close()} releases it. */
  interface Hold extends AutoCloseable {
    @Override
    void close();
  }

  /** A plugin's health, from its incidents and its Felix Health Checks. */
  Health health(String pluginId);

  /** A plugin's health. */
  enum Health {
    HEALTHY,
    DEGRADED,
    FAILING
  }
}
