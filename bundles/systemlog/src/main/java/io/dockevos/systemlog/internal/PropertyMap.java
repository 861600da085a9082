package io.dockevos.systemlog.internal;

import io.dockevos.common.internal.Secrets;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * An event's properties as the event log keeps them: immutable once kept, in the order they came, in one array
 * of names and values (a full event log holds thousands; a LinkedHashMap would take three times the room).
 */
final class PropertyMap extends AbstractMap<String, String> {
  private final String[] pairs;

  /** @param pairs name, value, name, value, ... (taken as it is) */
  PropertyMap(String[] pairs) {
    this.pairs = pairs;
  }

  static PropertyMap of(Map<String, String> map) {
    String[] pairs = new String[map.size() * 2];
    int i = 0;
    for (Map.Entry<String, String> e : map.entrySet()) {
      pairs[i++] = e.getKey();
      pairs[i++] = e.getValue();
    }
    return new PropertyMap(pairs);
  }

  /**
   * Masks the secrets among the values ({@link Secrets#value}), in place: called once, by the
   * writer, before the entry is kept or seen by anyone.
   */
  void maskSecrets() {
    for (int i = 0; i < pairs.length; i += 2) {
      pairs[i + 1] = Secrets.value(pairs[i], pairs[i + 1]);
    }
  }

  @Override
  public String get(Object key) {
    for (int i = 0; i < pairs.length; i += 2) {
      if (pairs[i].equals(key)) {
        return pairs[i + 1];
      }
    }
    return null;
  }

  @Override
  public boolean containsKey(Object key) {
    return get(key) != null;
  }

  @Override
  public int size() {
    return pairs.length / 2;
  }

  @Override
  public Set<Map.Entry<String, String>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public Iterator<Map.Entry<String, String>> iterator() {
        return new Iterator<>() {
          private int i;

          @Override
          public boolean hasNext() {
            return i < pairs.length;
          }

          @Override
          public Map.Entry<String, String> next() {
            if (i >= pairs.length) {
              throw new NoSuchElementException();
            }
            Map.Entry<String, String> e = new SimpleImmutableEntry<>(pairs[i], pairs[i + 1]);
            i += 2;
            return e;
          }
        };
      }

      @Override
      public int size() {
        return pairs.length / 2;
      }
    };
  }
}
