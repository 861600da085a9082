package io.dockevos.external.internal;

/** A plugin that cannot be installed or run as it is; the message names the file and the cause. */
final class InvalidPluginException extends Exception {
  private static final long serialVersionUID = 1L;

  InvalidPluginException(String message) {
    super(message);
  }
}
