package io.dockevos.test.wanted;

/** A service that the unsatisfied component needs and only provides-wanted.jar registers. */
public interface Wanted {
  String name();
}
