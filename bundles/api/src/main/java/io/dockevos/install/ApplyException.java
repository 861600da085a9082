package io.dockevos.install;

import io.dockevos.plugin.MissingRequirement;
import io.dockevos.plugin.PluginException;
import java.util.List;

/**
 * Applying a plan failed, and everything it had done was undone: which step failed, for which
 * bundle, and why, as values ({@link #getMessage()} says the same in a sentence).
 *
 * @since 0.1
 */
public class ApplyException extends PluginException {
  private static final long serialVersionUID = 1L;

  /** The step of the transaction that failed. */
  public enum Stage {
    /** A bundle's jar could not be fetched or installed. */
    INSTALL,
    /** A configuration that came with the plan could not be applied. */
    CONFIGURE,
    /** The bundles did not resolve, although the plan found every provider. */
    RESOLVE,
    /** A bundle failed to start. */
    START,
    /** The health gate failed. */
    GATE,
    /** The journal could not be written. */
    JOURNAL
  }

  private final Stage stage;
  private final String bundle;
  private final String reason;

  /**
   * @param message the whole sentence, naming the change
   * @param stage the step that failed
   * @param bundle the bundle it failed for, as {@code name version}; {@code null} when it is about no one bundle
   * @param reason why, in plain words, without the change's name
   */
  public ApplyException(String message, Stage stage, String bundle, String reason, Throwable cause,
      List<MissingRequirement> missing) {
    super(message, cause, missing);
    this.stage = stage;
    this.bundle = bundle;
    this.reason = reason;
  }

  /** @return the step that failed */
  public Stage stage() {
    return stage;
  }

  /** @return the bundle it failed for, {@code name version}, or {@code null} */
  public String bundle() {
    return bundle;
  }

  /** @return why, in plain words, without the change's name */
  public String reason() {
    return reason;
  }
}
