package io.dockevos.test.chain.p10;

/** Link 10 of the chain of twelve tiny bundles: it uses the one or two links before it. */
public final class Chain10 {
  private Chain10() {}

  public static int depth() {
    return 1 + io.dockevos.test.chain.p09.Chain09.depth() + io.dockevos.test.chain.p08.Chain08.depth();
  }
}
