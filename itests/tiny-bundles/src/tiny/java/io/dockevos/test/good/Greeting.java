package io.dockevos.test.good;

/** The greeting of good-1.0.0.jar; good-2.0.0.jar has its own. */
public final class Greeting {
  private Greeting() {}

  /** What this version says. */
  public static String text() {
    return "hello 1";
  }
}
