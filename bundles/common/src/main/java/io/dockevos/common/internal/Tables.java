package io.dockevos.common.internal;

import java.io.PrintStream;
import java.util.List;

/** The shell's tables: columns padded to their widest cell and separated by {@code |}, the last one free. */
public final class Tables {
  private Tables() {}

  /** Prints the rows, the first being the header. */
  public static void print(PrintStream out, List<String[]> rows) {
    int[] width = new int[rows.get(0).length];
    for (String[] r : rows) {
      for (int i = 0; i < r.length - 1; i++) {
        width[i] = Math.max(width[i], r[i].length());
      }
    }
    for (String[] r : rows) {
      StringBuilder s = new StringBuilder();
      for (int i = 0; i < r.length; i++) {
        s.append(i == r.length - 1 ? r[i] : String.format("%-" + width[i] + "s | ", r[i]));
      }
      out.println(s.toString().stripTrailing());
    }
  }
}
