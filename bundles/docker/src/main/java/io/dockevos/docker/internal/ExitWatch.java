package io.dockevos.docker.internal;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.WaitResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Hears a container's exit on a docker-java thread, without blocking anyone: a followed output
 * stream is ended by it when the engine does not close the stream itself (Podman sometimes keeps a
 * followed log open after the container is gone).
 */
final class ExitWatch extends ResultCallback.Adapter<WaitResponse> {
  /** How long a followed stream may go on after the exit, for the last lines to arrive. */
  static final Duration GRACE = Duration.ofSeconds(2);

  private volatile Integer code;
  private volatile long exitedAt;

  @Override
  public void onNext(WaitResponse response) {
    code = response.getStatusCode();
    exitedAt = System.nanoTime();
  }

  /** True once the container exited more than {@link #GRACE} ago. */
  boolean exitedAWhileAgo() {
    return code != null && System.nanoTime() - exitedAt > GRACE.toNanos();
  }

  /** The exit code, waiting at most {@code millis} for it; null when none came. */
  Integer await(long millis) {
    try {
      awaitCompletion(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return code;
  }
}
