package io.dockevos.docker.internal;

import io.dockevos.docker.ContainerSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One service of the small compose, read from its factory configuration. {@link #parse} names the
 * configuration and the field of anything wrong.
 *
 * @param name the service's name (the configuration's name after {@code ~}, or {@code name})
 * @param spec the container to keep running
 * @param restart {@code always}, {@code on-failure} or {@code no}
 * @param backoffInitial the first wait before restarting a dead container
 * @param backoffMax the longest wait
 * @param dependsOn the services that must run first
 * @param autostart whether it comes up as soon as it is configured
 */
record ServiceDefinition(String name, ContainerSpec spec, String restart, Duration backoffInitial, Duration backoffMax,
    List<String> dependsOn, boolean autostart) {
  static final String LABEL = "io.dockevos.service";
  static final List<String> RESTARTS = List.of("always", "on-failure", "no");

  ServiceDefinition {
    dependsOn = List.copyOf(dependsOn);
  }

  static String containerName(String service) {
    return "dockevos-svc-" + service;
  }

  /** A configuration that cannot be a service; the message names it and the field. */
  static final class Invalid extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    Invalid(String message) {
      super(message);
    }
  }

  /** How a configuration is named in messages: its PID, and the file it came from when there is one. */
  static String describe(String pid, Map<String, ?> props) {
    Object file = props.get("felix.fileinstall.filename");
    if (file == null) {
      return "Service configuration " + pid;
    }
    // The deploy monitor hands FileInstall a copy in data/deploy-staging/: name the file the user wrote.
    String f = file.toString().replaceFirst("^file:", "").replaceFirst("/data/deploy-staging/", "/deploy/");
    return "Service configuration " + pid + " (" + f + ")";
  }

  static ServiceDefinition parse(String pid, Map<String, ?> props) {
    String what = describe(pid, props);
    Field f = new Field(what, props);
    String name = f.string("name", defaultName(pid));
    if (name == null || !name.matches("[a-z0-9][a-z0-9_.-]{0,62}")) {
      throw new Invalid(what + ": field 'name': " + (name == null ? "it is missing (or name the configuration ~NAME)"
          : "'" + name + "' is not a service name (lower-case letters, digits, '.', '_' and '-')"));
    }
    String image = f.string("image", null);
    if (image == null || image.isBlank()) {
      throw new Invalid(what + ": field 'image' is missing (the image to run, such as busybox:latest)");
    }
    ContainerSpec.Builder b = ContainerSpec.builder(image.trim()).name(containerName(name)).label(LABEL, name);
    b.command(f.list("command"));
    for (String kv : f.list("env")) {
      f.check("env", () -> {
        var e = SpecMapping.keyValue(kv);
        b.env(e.getKey(), e.getValue());
      });
    }
    for (String kv : f.list("labels")) {
      f.check("labels", () -> {
        var e = SpecMapping.keyValue(kv);
        b.label(e.getKey(), e.getValue());
      });
    }
    String memory = f.string("memory", null);
    if (memory != null && !memory.isBlank()) {
      f.check("memory", () -> b.memory(SpecMapping.size(memory)));
    }
    String cpus = f.string("cpus", null);
    if (cpus != null && !cpus.isBlank()) {
      f.check("cpus", () -> {
        double c;
        try {
          c = Double.parseDouble(cpus.trim());
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("'" + cpus + "' is not a number of CPUs (such as 0.5)");
        }
        if (c < 0 || c > 1024) {
          throw new IllegalArgumentException("'" + cpus + "' is not a number of CPUs (such as 0.5)");
        }
        b.cpus(c);
      });
    }
    b.pids((int) f.number("pids", 0, 0, 1 << 22));
    String network = f.string("network", null);
    if (network != null && !network.isBlank()) {
      if (!network.equals("none") && !network.equals("bridge")) {
        throw new Invalid(what + ": field 'network': '" + network + "' is neither none nor bridge");
      }
      b.network(network);
    }
    for (String p : f.list("ports")) {
      f.check("ports", () -> b.port(ContainerSpec.PortBinding.parse(p)));
    }
    for (String m : f.list("mounts")) {
      f.check("mounts", () -> b.mount(ContainerSpec.Mount.parse(m)));
    }
    if (f.bool("hardened", false)) {
      b.hardened();
    }
    if (f.bool("read.only", false)) {
      b.readOnlyRootfs(true);
    }
    for (String c : f.list("cap.drop")) {
      f.check("cap.drop", () -> b.capDrop(SpecMapping.capability(c).name()));
    }
    if (f.bool("no.new.privileges", false)) {
      b.noNewPrivileges(true);
    }
    String user = f.string("user", null);
    if (user != null && !user.isBlank()) {
      b.user(user.trim());
    }
    String restart = f.string("restart", "always").trim().toLowerCase(Locale.ROOT);
    if (!RESTARTS.contains(restart)) {
      throw new Invalid(what + ": field 'restart': '" + restart + "' is not one of always, on-failure, no");
    }
    long initial = f.number("backoff.initial.ms", 1000, 1, 3_600_000);
    long max = f.number("backoff.max.ms", 30_000, 1, 3_600_000);
    if (max < initial) {
      throw new Invalid(what + ": field 'backoff.max.ms': " + max + " is less than backoff.initial.ms " + initial);
    }
    List<String> deps = f.list("depends-on");
    if (deps.contains(name)) {
      throw new Invalid(what + ": field 'depends-on': the service " + name + " cannot depend on itself");
    }
    return new ServiceDefinition(name, b.build(), restart, Duration.ofMillis(initial), Duration.ofMillis(max), deps,
        f.bool("autostart", true));
  }

  private static String defaultName(String pid) {
    int tilde = pid.indexOf('~');
    return tilde < 0 ? null : pid.substring(tilde + 1);
  }

  /** Reads one field at a time, from typed values or the strings of a {@code .cfg} file. */
  private record Field(String what, Map<String, ?> props) {
    String string(String key, String def) {
      Object v = props.get(key);
      if (v == null) {
        return def;
      }
      if (v instanceof String s) {
        return s;
      }
      if (v instanceof Number || v instanceof Boolean) {
        return v.toString();
      }
      throw new Invalid(what + ": field '" + key + "': expected a single value, not " + v.getClass().getSimpleName());
    }

    List<String> list(String key) {
      Object v = props.get(key);
      List<String> out = new ArrayList<>();
      if (v == null) {
        return out;
      }
      if (v instanceof String s) {
        // a .cfg file gives one string: comma-separated values
        for (String part : s.split(",")) {
          if (!part.isBlank()) {
            out.add(part.trim());
          }
        }
      } else if (v instanceof String[] a) {
        out.addAll(List.of(a));
      } else if (v instanceof Collection<?> c) {
        c.forEach(o -> out.add(String.valueOf(o)));
      } else {
        throw new Invalid(what + ": field '" + key + "': expected a list of strings, not " + v);
      }
      return out;
    }

    long number(String key, long def, long min, long max) {
      String s = string(key, null);
      if (s == null || s.isBlank()) {
        return def;
      }
      long n;
      try {
        n = Long.parseLong(s.trim());
      } catch (NumberFormatException e) {
        throw new Invalid(what + ": field '" + key + "': '" + s + "' is not a whole number");
      }
      if (n < min || n > max) {
        throw new Invalid(what + ": field '" + key + "': " + n + " is not between " + min + " and " + max);
      }
      return n;
    }

    boolean bool(String key, boolean def) {
      String s = string(key, null);
      if (s == null || s.isBlank()) {
        return def;
      }
      return switch (s.trim().toLowerCase(Locale.ROOT)) {
        case "true", "yes", "on" -> true;
        case "false", "no", "off" -> false;
        default -> throw new Invalid(what + ": field '" + key + "': '" + s + "' is neither true nor false");
      };
    }

    void check(String key, Runnable r) {
      try {
        r.run();
      } catch (Invalid e) {
        throw e;
      } catch (IllegalArgumentException e) {
        throw new Invalid(what + ": field '" + key + "': " + e.getMessage());
      }
    }
  }
}
