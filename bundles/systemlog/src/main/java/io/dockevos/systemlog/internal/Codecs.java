package io.dockevos.systemlog.internal;

import io.dockevos.systemlog.CommandRecord;
import io.dockevos.systemlog.LoggedEvent;
import io.dockevos.systemlog.Sample;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The line formats of the three stores; the JSON output of the commands uses the same maps. */
final class Codecs {
  private Codecs() {}

  /**
   * One copy of each name that repeats from line to line (property names, topics, users, bundle
   * names), for what a full store retains: parsed lines would otherwise hold thousands of equal
   * strings. It stops growing at its limit.
   */
  private static final Map<String, String> SHARED = new java.util.concurrent.ConcurrentHashMap<>();
  private static final int SHARED_LIMIT = 8192;
  private static final java.util.Set<String> SHARED_VALUES = java.util.Set.of("plugin.id", "plugin.version",
      "bundle.symbolicName", "bundle.version", "service.objectClass", "service.pid", "action.name", "kind", "store");

  static String shared(String s) {
    if (s == null || s.length() > 200) {
      return s;
    }
    String one = SHARED.get(s);
    if (one != null) {
      return one;
    }
    if (SHARED.size() < SHARED_LIMIT) {
      one = SHARED.putIfAbsent(s, s);
    }
    return one == null ? s : one;
  }

  static final SegmentedStore.Codec<CommandRecord> HISTORY = new SegmentedStore.Codec<>() {
    @Override
    public Map<String, Object> encode(CommandRecord r) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("time", r.time().toString());
      m.put("user", r.user());
      m.put("origin", r.origin());
      m.put("command", r.command());
      m.put("durationMs", r.durationMillis());
      m.put("status", r.status().name().toLowerCase(java.util.Locale.ROOT));
      if (r.error() != null) {
        m.put("error", r.error());
      }
      return m;
    }

    @Override
    public CommandRecord decode(JsonObject o) {
      String status = o.getString("status");
      return new CommandRecord(Instant.parse(o.getString("time")), shared(o.getString("user")), shared(o.getString("origin")),
          o.getString("command"), o.getJsonNumber("durationMs").longValue(),
          CommandRecord.Status.valueOf(status.toUpperCase(java.util.Locale.ROOT)), o.getString("error", null));
    }
  };

  static final SegmentedStore.Codec<LoggedEvent> EVENTS = new SegmentedStore.Codec<>() {
    @Override
    public Map<String, Object> encode(LoggedEvent e) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("time", e.time().toString());
      m.put("topic", e.topic());
      m.put("properties", e.properties());
      return m;
    }

    @Override
    public LoggedEvent decode(JsonObject o) {
      Map<String, String> props = new LinkedHashMap<>();
      for (Map.Entry<String, JsonValue> p : o.getJsonObject("properties").entrySet()) {
        String value = p.getValue() instanceof jakarta.json.JsonString s ? s.getString() : p.getValue().toString();
        props.put(shared(p.getKey()), SHARED_VALUES.contains(p.getKey()) ? shared(value) : value);
      }
      String topic = shared(o.getString("topic"));
      if (topic.isEmpty()) {
        throw new IllegalArgumentException("empty topic");
      }
      return new LoggedEvent(Instant.parse(o.getString("time")), topic, PropertyMap.of(props));
    }
  };

  static final SegmentedStore.Codec<Sample> METRICS = new SegmentedStore.Codec<>() {
    @Override
    public Map<String, Object> encode(Sample s) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("time", s.time().toString());
      m.put("heapUsed", s.heapUsed());
      m.put("heapCommitted", s.heapCommitted());
      m.put("heapMax", s.heapMax());
      m.put("threads", s.threads());
      m.put("processCpuLoad", s.processCpuLoad());
      m.put("systemCpuLoad", s.systemCpuLoad());
      List<Object> gc = new ArrayList<>();
      for (Sample.Gc g : s.gc()) {
        Map<String, Object> x = new LinkedHashMap<>();
        x.put("name", g.name());
        x.put("count", g.count());
        x.put("timeMs", g.timeMillis());
        gc.add(x);
      }
      m.put("gc", gc);
      m.put("bundles", s.bundles());
      m.put("services", s.services());
      List<Object> actions = new ArrayList<>();
      for (Sample.ActionFigures a : s.actions()) {
        Map<String, Object> x = new LinkedHashMap<>();
        x.put("plugin", a.plugin());
        x.put("action", a.action());
        x.put("invocations", a.invocations());
        x.put("failures", a.failures());
        x.put("meanMs", a.meanMillis());
        x.put("maxMs", a.maxMillis());
        actions.add(x);
      }
      m.put("actions", actions);
      return m;
    }

    @Override
    public Sample decode(JsonObject o) {
      List<Sample.Gc> gc = new ArrayList<>();
      for (JsonObject g : o.getJsonArray("gc").getValuesAs(JsonObject.class)) {
        gc.add(new Sample.Gc(shared(g.getString("name")), g.getJsonNumber("count").longValue(), g.getJsonNumber("timeMs").longValue()));
      }
      List<Sample.ActionFigures> actions = new ArrayList<>();
      for (JsonObject a : o.getJsonArray("actions").getValuesAs(JsonObject.class)) {
        actions.add(new Sample.ActionFigures(shared(a.getString("plugin")), shared(a.getString("action")),
            a.getJsonNumber("invocations").longValue(), a.getJsonNumber("failures").longValue(),
            number(a, "meanMs"), a.getJsonNumber("maxMs").longValue()));
      }
      return new Sample(Instant.parse(o.getString("time")), o.getJsonNumber("heapUsed").longValue(),
          o.getJsonNumber("heapCommitted").longValue(), o.getJsonNumber("heapMax").longValue(), o.getInt("threads"),
          number(o, "processCpuLoad"), number(o, "systemCpuLoad"), List.copyOf(gc), o.getInt("bundles"),
          o.getInt("services"), List.copyOf(actions));
    }
  };

  private static double number(JsonObject o, String key) {
    JsonValue v = o.get(key);
    if (v == null) {
      throw new IllegalArgumentException("no " + key);
    }
    return v instanceof JsonNumber n ? n.doubleValue() : -1;
  }
}
