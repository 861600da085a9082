package io.dockevos.docker;

/**
 * The Event Admin topics and properties of the Docker manager.
 *
 * @since 0.1
 */
public final class DockerEvents {
  public static final String TOPIC_PREFIX = "dockevos/docker/";
  /** The container engine answers (again). */
  public static final String ENGINE_UP = TOPIC_PREFIX + "engine/UP";
  /** The container engine cannot be reached (any more); see {@link #REASON}. */
  public static final String ENGINE_DOWN = TOPIC_PREFIX + "engine/DOWN";
  /** A container exited on its own, or was killed, with a non-zero code or by a signal. */
  public static final String CONTAINER_DIED = TOPIC_PREFIX + "container/DIED";
  public static final String ALL = TOPIC_PREFIX + "*";

  /** The engine's endpoint, for example {@code unix:///var/run/docker.sock}, a {@code String}. */
  public static final String ENDPOINT = "engine.endpoint";
  /** The engine's version, when it is UP, a {@code String}. */
  public static final String VERSION = "engine.version";
  /** Why the engine is DOWN, or why a container died, a {@code String}. */
  public static final String REASON = "reason";
  /** A container's id, a {@code String}. */
  public static final String CONTAINER_ID = "container.id";
  /** A container's name, a {@code String}. */
  public static final String CONTAINER_NAME = "container.name";
  /** A container's image, a {@code String}. */
  public static final String IMAGE = "container.image";
  /** A container's exit code, an {@code Integer}. */
  public static final String EXIT_CODE = "exit.code";

  private DockerEvents() {}
}
