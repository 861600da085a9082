package io.dockevos.e2e;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One row of {@code lb -s}, as the shell prints it: {@code 15|Active | 4|io.dockevos.core (0.1.0.SNAPSHOT)|0.1.0.SNAPSHOT}. */
record BundleRow(long id, String state, int level, String symbolicName, String version) {
  private static final Pattern ROW = Pattern.compile("^\\s*(\\d+)\\|(\\w+)\\s*\\|\\s*(\\d+)\\|(\\S+) \\(([^)]*)\\).*$");

  /** @return every row of an {@code lb -s} listing; lines that are not rows are skipped */
  static List<BundleRow> parse(String listing) {
    List<BundleRow> rows = new ArrayList<>();
    for (String line : listing.split("\\R")) {
      Matcher m = ROW.matcher(line);
      if (m.matches()) {
        rows.add(new BundleRow(Long.parseLong(m.group(1)), m.group(2), Integer.parseInt(m.group(3)), m.group(4), m.group(5)));
      }
    }
    return rows;
  }

  static Optional<BundleRow> find(List<BundleRow> rows, String symbolicName) {
    return rows.stream().filter(r -> r.symbolicName().equals(symbolicName)).findFirst();
  }

  boolean active() {
    return state.equals("Active");
  }
}
