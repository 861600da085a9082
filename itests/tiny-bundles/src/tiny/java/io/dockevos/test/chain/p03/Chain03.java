package io.dockevos.test.chain.p03;

/** Link 3 of the chain of twelve tiny bundles: it uses the one or two links before it. */
public final class Chain03 {
  private Chain03() {}

  public static int depth() {
    return 1 + io.dockevos.test.chain.p02.Chain02.depth() + io.dockevos.test.chain.p01.Chain01.depth();
  }
}
