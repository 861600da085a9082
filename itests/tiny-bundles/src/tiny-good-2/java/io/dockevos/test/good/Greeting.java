package io.dockevos.test.good;

/** The greeting of good-2.0.0.jar, so an in-place update can be seen. */
public final class Greeting {
  private Greeting() {}

  /** What this version says. */
  public static String text() {
    return "hello 2";
  }
}
