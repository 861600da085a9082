package io.dockevos.e2e;

import java.util.List;

/** What a finished command gave a user: its exit status and both outputs. */
record Result(List<String> command, int exit, String out, String err) {

  /** @return standard output followed by standard error */
  String all() {
    return out + err;
  }

  @Override
  public String toString() {
    return String.join(" ", command) + "\n  exit " + exit + "\n  --- stdout ---\n" + indent(out)
        + "\n  --- stderr ---\n" + indent(err);
  }

  /** Long outputs keep their first 20 and last 60 lines, so that a failure message stays readable. */
  private static String indent(String text) {
    if (text.isEmpty()) {
      return "  (empty)";
    }
    List<String> lines = text.strip().lines().toList();
    if (lines.size() > 80) {
      List<String> kept = new java.util.ArrayList<>(lines.subList(0, 20));
      kept.add("[... " + (lines.size() - 80) + " lines left out ...]");
      kept.addAll(lines.subList(lines.size() - 60, lines.size()));
      lines = kept;
    }
    return "  " + String.join("\n  ", lines);
  }
}
