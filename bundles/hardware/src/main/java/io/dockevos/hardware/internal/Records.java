package io.dockevos.hardware.internal;

import java.lang.reflect.RecordComponent;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns records (and lists of them) into maps and lists that {@code Json.pretty} writes. */
final class Records {
  private Records() {}

  static Object toPlain(Object o) {
    if (o instanceof Record r) {
      Map<String, Object> m = new LinkedHashMap<>();
      for (RecordComponent c : r.getClass().getRecordComponents()) {
        try {
          m.put(c.getName(), toPlain(c.getAccessor().invoke(r)));
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException(e);
        }
      }
      return m;
    } else if (o instanceof Collection<?> c) {
      return c.stream().map(Records::toPlain).toList();
    } else if (o instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach((k, v) -> out.put(String.valueOf(k), toPlain(v)));
      return out;
    } else if (o instanceof Enum<?> e) {
      return e.name();
    }
    return o;
  }

  static List<Object> toPlain(List<?> list) {
    return list.stream().map(Records::toPlain).toList();
  }
}
