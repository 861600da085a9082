package io.dockevos.test.chain.p04;

/** Link 4 of the chain of twelve tiny bundles: it uses the one or two links before it. */
public final class Chain04 {
  private Chain04() {}

  public static int depth() {
    return 1 + io.dockevos.test.chain.p03.Chain03.depth() + io.dockevos.test.chain.p02.Chain02.depth();
  }
}
