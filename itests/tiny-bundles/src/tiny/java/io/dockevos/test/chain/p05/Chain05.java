package io.dockevos.test.chain.p05;

/** Link 5 of the chain of twelve tiny bundles: it uses the one or two links before it. */
public final class Chain05 {
  private Chain05() {}

  public static int depth() {
    return 1 + io.dockevos.test.chain.p04.Chain04.depth() + io.dockevos.test.chain.p03.Chain03.depth();
  }
}
