package io.dockevos.test.chain.p12;

/** Link 12 of the chain of twelve tiny bundles: it uses the one or two links before it. */
public final class Chain12 {
  private Chain12() {}

  public static int depth() {
    return 1 + io.dockevos.test.chain.p11.Chain11.depth() + io.dockevos.test.chain.p10.Chain10.depth();
  }
}
