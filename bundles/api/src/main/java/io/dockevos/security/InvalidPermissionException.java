package io.dockevos.security;

/**
 * A permission that does not parse: the message names the header (when it came from one), the
 * entry and what is wrong with it, and {@link #entry()} and {@link #reason()} give them as values.
 *
 * @since 0.1
 */
public class InvalidPermissionException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;
  private final String header;
  private final String entry;
  private final String reason;

  /**
   * @param header the manifest header it came from ({@link Permission#HEADER}), or {@code null}
   * @param entry the text that is not a permission
   * @param reason what is wrong with it, in plain words
   */
  public InvalidPermissionException(String header, String entry, String reason) {
    super((header == null ? "" : header + ": ") + "'" + entry + "' is not a valid permission: " + reason);
    this.header = header;
    this.entry = entry;
    this.reason = reason;
  }

  /** @return the manifest header it came from, or {@code null} */
  public String header() {
    return header;
  }

  /** @return the text that is not a permission */
  public String entry() {
    return entry;
  }

  /** @return what is wrong with it */
  public String reason() {
    return reason;
  }
}
