package io.dockevos.core.internal;

final class Placeholder {
  private Placeholder() {}
}
