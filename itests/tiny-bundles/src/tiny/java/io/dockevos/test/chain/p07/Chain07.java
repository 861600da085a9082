package io.dockevos.test.chain.p07;

/** Link 7 of the chain of twelve tiny bundles: it uses the one or two links before it. */
public final class Chain07 {
  private Chain07() {}

  public static int depth() {
    return 1 + io.dockevos.test.chain.p06.Chain06.depth() + io.dockevos.test.chain.p05.Chain05.depth();
  }
}
