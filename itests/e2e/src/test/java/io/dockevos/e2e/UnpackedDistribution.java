package io.dockevos.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * A test class that shares one freshly unpacked distribution among its tests, and leaves nothing
 * running and nothing on disk when it ends.
 */
abstract class UnpackedDistribution {
  static Distribution dist;

  @BeforeAll
  static void unpack() {
    dist = Distribution.unpack();
  }

  @AfterAll
  static void cleanUp() {
    if (dist != null) {
      dist.close();
      dist = null;
    }
  }
}
