package io.dockevos.runner;

/**
 * A job could not be started; the message says why in plain words.
 *
 * @since 0.1
 */
public class RunnerException extends Exception {
  private static final long serialVersionUID = 1L;

  public RunnerException(String message) {
    super(message);
  }

  public RunnerException(String message, Throwable cause) {
    super(message, cause);
  }
}
