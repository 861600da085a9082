package io.dockevos.feature;

/**
 * A feature operation failed. The message names the feature, the file or the bundle, and the
 * cause in plain words, so that a surface can show it as it is.
 *
 * @since 0.1
 */
public class FeatureException extends Exception {
  private static final long serialVersionUID = 1L;

  public FeatureException(String message) {
    super(message);
  }

  public FeatureException(String message, Throwable cause) {
    super(message, cause);
  }
}
