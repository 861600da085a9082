package io.dockevos.test.chain.p06;

/** Link 6 of the chain of twelve tiny bundles: it uses the one or two links before it. */
public final class Chain06 {
  private Chain06() {}

  public static int depth() {
    return 1 + io.dockevos.test.chain.p05.Chain05.depth() + io.dockevos.test.chain.p04.Chain04.depth();
  }
}
