package io.dockevos.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * A test of containers of the image: the image loaded into the engine before the first test (under
 * CI=true, no engine or no image is a failure), and every container and volume the tests made
 * removed before and after them ({@link ImageContainers}).
 */
abstract class ImageTest {
  static ImageContainers image;

  @BeforeAll
  static void loadTheImage() {
    image = ImageContainers.required();
    image.removeAll();
  }

  @AfterAll
  static void removeTheContainers() {
    if (image != null) {
      image.removeAll();
    }
  }
}
