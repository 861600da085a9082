package io.dockevos.external;

/**
 * An external plugin cannot be installed, started or found. The message names the plugin or file
 * and the cause, in plain words.
 *
 * @since 0.1
 */
public class ExternalPluginException extends Exception {
  private static final long serialVersionUID = 1L;

  public ExternalPluginException(String message) {
    super(message);
  }

  public ExternalPluginException(String message, Throwable cause) {
    super(message, cause);
  }
}
