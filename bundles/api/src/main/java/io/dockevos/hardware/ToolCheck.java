package io.dockevos.hardware;

/**
 * The result of checking one system tool that a plugin or feature requires.
 *
 * @param tool the tool, for example {@code docker}
 * @param required what is required, for example {@code >=20}, or {@code any version}
 * @param status present, missing or too old
 * @param found the version found, or {@code null} when the tool is missing or says no version
 * @param path the executable that was found, or {@code null}
 * @param hint how to install it, in plain words, for example {@code apt-get install -y git};
 *     {@code null} when it is present
 * @param requiredBy the plugin (symbolic name) or {@code feature:NAME} that requires it
 * @param filter the requirement's filter as declared
 * @since 0.1
 */
public record ToolCheck(String tool, String required, Status status, String found, String path, String hint,
    String requiredBy, String filter) {
  /** How a tool compares with what is required. */
  public enum Status {
    /** Found, and its version meets the requirement. */
    PRESENT,
    /** Not found on the search path. */
    MISSING,
    /** Found, but its version does not meet the requirement (or it tells no version). */
    TOO_OLD
  }

  /** Whether the requirement is met. */
  public boolean ok() {
    return status == Status.PRESENT;
  }
}
