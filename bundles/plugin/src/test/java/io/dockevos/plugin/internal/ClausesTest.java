package io.dockevos.plugin.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** What {@link Clauses#problem} finds in a header before the framework is asked to install the jar. */
class ClausesTest {
  @Test
  void aPackageImportedTwiceIsNamed() {
    assertEquals("its manifest header Import-Package is malformed: the package org.osgi.framework is imported twice",
        Clauses.problem("Import-Package", "org.osgi.framework, org.osgi.framework;version=\"[1.8,2)\""));
    assertEquals("its manifest header Import-Package is malformed: the package a.b is imported twice",
        Clauses.problem("Import-Package", "a.b;a.b"));
  }

  @Test
  void distinctPackagesAndExportsOfTheSameNameAreWellFormed() {
    assertNull(Clauses.problem("Import-Package", "a.b;c.d;version=\"[1,2)\", e.f;resolution:=optional"));
    assertNull(Clauses.problem("Export-Package", "a.b;version=1.0, a.b;version=2.0"));
  }
}
