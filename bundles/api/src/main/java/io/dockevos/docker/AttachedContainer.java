package io.dockevos.docker;

import java.io.InputStream;
import java.io.OutputStream;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A running container whose standard input, output and error are attached, as
 * {@link DockerEngine#runAttached(ContainerSpec)} made it: what is written to {@link #stdin()}
 * reaches its process; {@link #stdout()} and {@link #stderr()} end when it exits (or the engine
 * goes away). Closing it detaches; the container keeps running until it is stopped or removed.
 *
 * @since 0.2
 */
@ProviderType
public interface AttachedContainer extends AutoCloseable {
  /** The container's full id. */
  String id();

  /**
   * Its standard input; closing it closes the container's standard input (its process reads the end
   * of its input; over a TLS endpoint the engine is not told), its output goes on.
   */
  OutputStream stdin();

  /** Its standard output, from its start. */
  InputStream stdout();

  /** Its standard error, from its start. */
  InputStream stderr();

  /** Detaches: the streams end; the container is not stopped. */
  @Override
  void close();
}
