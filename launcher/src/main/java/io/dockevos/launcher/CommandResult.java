package io.dockevos.launcher;

/**
 * What one Gogo command gave back.
 *
 * @param command the command line as it was run
 * @param value the value the command returned, or {@code null}
 * @param output what the command printed, followed by its formatted value, as the console shows it
 * @param error the failure in plain words, or {@code null} when the command succeeded
 * @since 0.1
 */
public record CommandResult(String command, Object value, String output, String error) {
  /** @return {@code true} when the command did not fail */
  public boolean ok() {
    return error == null;
  }
}
