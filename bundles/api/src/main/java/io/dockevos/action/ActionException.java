package io.dockevos.action;

/**
 * An invocation did not produce a result. The message says why in plain words; {@link #field()}
 * names the input field when the input broke the schema.
 *
 * @since 0.1
 */
public class ActionException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why an invocation failed. */
  public enum Kind {
    /** No such plugin or action. */
    NOT_FOUND,
    /** The input does not match the schema. */
    INVALID_INPUT,
    /** The action threw. */
    FAILED,
    /** The timeout passed. */
    TIMEOUT,
    /** The caller cancelled. */
    CANCELLED,
    /** The runtime refused to start it: as many actions as it runs at once are running. Try again later. */
    BUSY
  }

  private final Kind kind;
  private final String field;

  public ActionException(Kind kind, String message, String field, Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.field = field;
  }

  /** @return why it failed */
  public Kind kind() {
    return kind;
  }

  /** @return the input field (a JSON pointer such as {@code /times}) that broke the schema, or {@code null} */
  public String field() {
    return field;
  }
}
