package io.dockevos.test.chain.p11;

/** Link 11 of the chain of twelve tiny bundles: it uses the one or two links before it. */
public final class Chain11 {
  private Chain11() {}

  public static int depth() {
    return 1 + io.dockevos.test.chain.p10.Chain10.depth() + io.dockevos.test.chain.p09.Chain09.depth();
  }
}
