package io.dockevos.test.chain.p01;

/** Link 1 of the chain of twelve tiny bundles: it uses the one or two links before it. */
public final class Chain01 {
  private Chain01() {}

  public static int depth() {
    return 1 + 0;
  }
}
