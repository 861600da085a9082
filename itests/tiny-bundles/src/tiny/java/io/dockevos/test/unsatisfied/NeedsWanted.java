package io.dockevos.test.unsatisfied;

import io.dockevos.test.wanted.Wanted;

/** A DS component (OSGI-INF/needs-wanted.xml, written by hand) with a mandatory reference to Wanted. */
public final class NeedsWanted {
  public void setWanted(Wanted wanted) {}

  public void unsetWanted(Wanted wanted) {}
}
