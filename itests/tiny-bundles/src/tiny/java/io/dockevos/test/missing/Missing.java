package io.dockevos.test.missing;

/** Exported only by provides-missing.jar, imported by needs-missing.jar. */
public final class Missing {
  private Missing() {}

  /** Proves that the import was wired. */
  public static String found() {
    return "found";
  }
}
