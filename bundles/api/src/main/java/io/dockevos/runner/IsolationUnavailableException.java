package io.dockevos.runner;

/**
 * A job that asks for isolation ({@link Job#needsIsolation()}) was refused by a runner that cannot
 * isolate it (the process runner), because the job does not {@link Job#allowProcess() allow} it.
 * The message says why in plain words.
 *
 * @since 0.1
 */
public class IsolationUnavailableException extends RunnerException {
  private static final long serialVersionUID = 1L;

  public IsolationUnavailableException(String message) {
    super(message);
  }
}
