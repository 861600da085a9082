package io.dockevos.common.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.osgi.framework.FrameworkUtil;

class FiltersTest {
  @Test
  void anEscapedValueMatchesItselfOnly() throws Exception {
    for (String value : new String[] {"file:///deploy/a(1).cfg", "dockevos.lo*", "x)(objectClass=*", "a\\b", "plain"}) {
      var filter = FrameworkUtil.createFilter("(service.pid=" + Filters.escape(value) + ")");
      assertTrue(filter.matches(Map.of("service.pid", value)), value);
      assertFalse(filter.matches(Map.of("service.pid", value + "x")), value);
    }
    assertFalse(FrameworkUtil.createFilter("(service.pid=" + Filters.escape("dockevos.lo*") + ")")
        .matches(Map.of("service.pid", "dockevos.log")), "a '*' is no wildcard");
  }
}
