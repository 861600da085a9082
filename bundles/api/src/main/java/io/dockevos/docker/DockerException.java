package io.dockevos.docker;

/**
 * A request to the container engine failed; the message says why in plain words and names the
 * endpoint, container or image.
 *
 * @since 0.1
 */
public class DockerException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  public DockerException(String message) {
    super(message);
  }

  public DockerException(String message, Throwable cause) {
    super(message, cause);
  }
}
