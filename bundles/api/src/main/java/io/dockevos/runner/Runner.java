package io.dockevos.runner;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Runs a job and streams its output. Several runners may be registered; a caller takes the one
 * with the highest {@code service.ranking}: the container runner ranks {@link #RANKING_CONTAINER}
 * and is registered only while the container engine is UP, the process fallback ranks
 * {@link #RANKING_PROCESS} and is always there. The process runner never runs a job that asks
 * for isolation ({@link Job#needsIsolation()}) unless the job allows it ({@link Job#allowProcess()}).
 *
 * @since 0.1
 */
@ProviderType
public interface Runner {
  /** Service property: the kind of runner, {@code container} or {@code process}. */
  String KIND = "runner.kind";
  /** The {@code service.ranking} of the container runner. */
  int RANKING_CONTAINER = 100;
  /** The {@code service.ranking} of the process fallback. */
  int RANKING_PROCESS = 0;

  /** The kind of this runner, as in its {@link #KIND} service property. */
  String kind();

  /**
   * Runs the job to its end, its timeout, or the interruption of the calling thread, streaming
   * each line of output to the listener as it comes.
   *
   * @throws RunnerException when the job cannot be started (a missing command or image, an
   *     unreachable engine), with the cause in plain words; an {@link IsolationUnavailableException}
   *     when the job asks for isolation that this runner cannot give
   */
  JobResult run(Job job, JobListener listener) throws RunnerException;
}
