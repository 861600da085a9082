package io.dockevos.docker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The container engine (a Docker Engine API endpoint), in the project's own records. Every method
 * that talks to the engine throws {@link DockerException} with a plain message: an unreachable
 * engine names its endpoint and what to do, an unknown container or image is named.
 *
 * <p>Listeners are called on the caller's thread; a blocking call ends early when that thread is
 * interrupted.
 *
 * @since 0.1
 */
@ProviderType
public interface DockerEngine {
  /** The engine's endpoint, whether it answers, its version, and since when. Never blocks long. */
  EngineStatus status();

  /**
   * Lists containers.
   *
   * @param all also the ones that are not running
   * @param filters Engine API filters, such as {@code label -> [app=web]}, {@code name -> [db]},
   *     {@code status -> [running]}, {@code ancestor -> [busybox]}
   */
  List<ContainerInfo> containers(boolean all, Map<String, List<String>> filters);

  /** Creates a container (it does not start it); returns its id. */
  String create(ContainerSpec spec);

  /** Creates and starts a container; returns its id. */
  String run(ContainerSpec spec);

  /**
   * Creates a container with its standard input open for this attach ({@code OpenStdin} and
   * {@code StdinOnce}: closing {@link AttachedContainer#stdin()} closes the container's, so that its
   * process reads the end of its input; not over a TLS endpoint, where it stays open) and an init
   * as its PID 1 ({@code docker run --init}: SIGTERM reaches the command, which is not PID 1, and
   * what it forks is reaped), attaches to its standard input, output and error, and
   * starts it: nothing it writes from its first instruction on is lost. Without a TTY: stdout and
   * stderr stay apart. When it cannot be started it is removed, and this throws.
   *
   * @since 0.2
   */
  AttachedContainer runAttached(ContainerSpec spec);

  void start(String container);

  /** Stops a container: SIGTERM, then SIGKILL after {@code timeout}. */
  void stop(String container, Duration timeout);

  void restart(String container, Duration timeout);

  /** Sends SIGKILL to a running container, as the kernel's OOM killer would: its death is news. */
  void kill(String container);

  /** Removes a container; {@code force} kills it first if it runs. */
  void remove(String container, boolean force);

  /**
   * Waits until the container exits.
   *
   * @return its exit code
   * @throws DockerException when it does not exit within {@code timeout}
   */
  int waitFor(String container, Duration timeout);

  /**
   * Writes a container's output to the listener, the last {@code tail} lines (all when negative);
   * with {@code follow}, keeps writing until the container stops or the thread is interrupted.
   */
  void logs(String container, boolean follow, int tail, OutputListener listener);

  /** Runs a command in a running container and returns its exit code and output. */
  ExecResult exec(String container, List<String> command, Duration timeout);

  /** One sample of a running container's CPU and memory use. */
  Stats stats(String container);

  /** What the engine knows about a container. */
  ContainerDetails inspect(String container);

  List<ImageInfo> images();

  /** Loads a docker-archive ({@code docker save}); returns the names of the images it held. */
  List<String> load(Path archive);

  /**
   * Imports a root file system tar as an image named {@code repoTag} ({@code repo:tag}).
   *
   * @param command the image's default command, or an empty list for none
   * @return the image's id
   */
  String importImage(Path rootfsTar, String repoTag, List<String> command);

  void removeImage(String image, boolean force);

  /** Pulls an image from its registry, reporting progress; fails with the registry's answer. */
  void pull(String image, PullListener listener);
}
