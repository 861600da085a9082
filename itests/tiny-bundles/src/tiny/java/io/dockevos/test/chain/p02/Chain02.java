package io.dockevos.test.chain.p02;

/** Link 2 of the chain of twelve tiny bundles: it uses the one or two links before it. */
public final class Chain02 {
  private Chain02() {}

  public static int depth() {
    return 1 + io.dockevos.test.chain.p01.Chain01.depth();
  }
}
