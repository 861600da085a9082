package io.dockevos.test.chain.p08;

/** Link 8 of the chain of twelve tiny bundles: it uses the one or two links before it. */
public final class Chain08 {
  private Chain08() {}

  public static int depth() {
    return 1 + io.dockevos.test.chain.p07.Chain07.depth() + io.dockevos.test.chain.p06.Chain06.depth();
  }
}
