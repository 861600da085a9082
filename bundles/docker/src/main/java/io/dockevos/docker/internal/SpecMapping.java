package io.dockevos.docker.internal;

import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.InternetProtocol;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.Volume;
import io.dockevos.docker.ContainerSpec;
import io.dockevos.docker.ContainerSpec.PortBinding;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Maps the project's {@link ContainerSpec} to docker-java's create request (pure, unit-tested). */
final class SpecMapping {
  private SpecMapping() {}

  static HostConfig hostConfig(ContainerSpec spec) {
    HostConfig h = HostConfig.newHostConfig();
    if (spec.memoryBytes() > 0) {
      h.withMemory(spec.memoryBytes());
      h.withMemorySwap(spec.memoryBytes()); // no swap beyond the limit
    }
    if (spec.cpus() > 0) {
      h.withNanoCPUs(Math.round(spec.cpus() * 1_000_000_000d));
    }
    if (spec.pids() > 0) {
      h.withPidsLimit((long) spec.pids());
    }
    if (spec.network() != null) {
      h.withNetworkMode(spec.network());
    }
    if (!spec.ports().isEmpty()) {
      Ports ports = new Ports();
      for (PortBinding p : spec.ports()) {
        ports.bind(exposed(p), p.hostPort() == 0 ? Ports.Binding.bindIp(p.hostIp())
            : Ports.Binding.bindIpAndPort(p.hostIp(), p.hostPort()));
      }
      h.withPortBindings(ports);
    }
    h.withReadonlyRootfs(spec.readOnlyRootfs());
    if (!spec.capDrop().isEmpty()) {
      h.withCapDrop(spec.capDrop().stream().map(SpecMapping::capability).toArray(Capability[]::new));
    }
    if (spec.noNewPrivileges()) {
      h.withSecurityOpts(List.of("no-new-privileges"));
    }
    if (!spec.mounts().isEmpty()) {
      h.withBinds(spec.mounts().stream()
          .map(m -> new Bind(m.source(), new Volume(m.target()), m.readOnly() ? AccessMode.ro : AccessMode.rw))
          .toList());
    }
    if (!spec.tmpfs().isEmpty()) {
      h.withTmpFs(Map.copyOf(spec.tmpfs()));
    }
    return h;
  }

  static ExposedPort exposed(PortBinding p) {
    return new ExposedPort(p.containerPort(), InternetProtocol.parse(p.protocol()));
  }

  static List<String> env(ContainerSpec spec) {
    List<String> env = new ArrayList<>();
    spec.env().forEach((k, v) -> env.add(k + "=" + v));
    env.sort(null);
    return env;
  }

  /** {@code net_admin}, {@code CAP_NET_ADMIN} and {@code NET_ADMIN} are the same capability. */
  static Capability capability(String name) {
    String n = name.trim().toUpperCase(Locale.ROOT);
    if (n.startsWith("CAP_")) {
      n = n.substring(4);
    }
    try {
      return Capability.valueOf(n);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown capability '" + name + "' (such as ALL, NET_RAW, CHOWN)");
    }
  }

  /** Parses a size such as {@code 64m}, {@code 1g}, {@code 512k} or {@code 1048576} (bytes). */
  static long size(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.endsWith("b")) {
      t = t.substring(0, t.length() - 1);
    }
    long unit = 1;
    if (!t.isEmpty()) {
      switch (t.charAt(t.length() - 1)) {
        case 'k' -> unit = 1L << 10;
        case 'm' -> unit = 1L << 20;
        case 'g' -> unit = 1L << 30;
        default -> unit = 1;
      }
    }
    String digits = unit == 1 ? t : t.substring(0, t.length() - 1);
    try {
      long n = Long.parseLong(digits);
      if (n < 0) {
        throw new NumberFormatException();
      }
      return Math.multiplyExact(n, unit);
    } catch (NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException("'" + text + "' is not a size (such as 64m, 1g, 512k)");
    }
  }

  /** Parses {@code KEY=VALUE}. */
  static Map.Entry<String, String> keyValue(String text) {
    int eq = text.indexOf('=');
    if (eq <= 0) {
      throw new IllegalArgumentException("'" + text + "' is not KEY=VALUE");
    }
    return Map.entry(text.substring(0, eq), text.substring(eq + 1));
  }
}
