package io.dockevos.test.chain.p09;

/** Link 9 of the chain of twelve tiny bundles: it uses the one or two links before it. */
public final class Chain09 {
  private Chain09() {}

  public static int depth() {
    return 1 + io.dockevos.test.chain.p08.Chain08.depth() + io.dockevos.test.chain.p07.Chain07.depth();
  }
}
