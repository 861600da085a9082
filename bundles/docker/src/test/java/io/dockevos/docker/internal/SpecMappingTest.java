package io.dockevos.docker.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Ports;
import io.dockevos.docker.ContainerSpec;
import io.dockevos.docker.ContainerSpec.PortBinding;
import io.dockevos.runner.Job;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpecMappingTest {
  @Test
  void limitsAndHardeningReachTheHostConfig() {
    ContainerSpec spec = ContainerSpec.builder("busybox").memory(64L << 20).cpus(0.5).pids(32).hardened().build();
    HostConfig h = SpecMapping.hostConfig(spec);
    assertEquals(64L << 20, h.getMemory());
    assertEquals(64L << 20, h.getMemorySwap(), "no swap beyond the limit");
    assertEquals(500_000_000L, h.getNanoCPUs());
    assertEquals(32L, h.getPidsLimit());
    assertEquals("none", h.getNetworkMode());
    assertTrue(h.getReadonlyRootfs());
    assertArrayEquals(new Capability[] {Capability.ALL}, h.getCapDrop());
    assertEquals(List.of("no-new-privileges"), h.getSecurityOpts());
    assertEquals(Map.of("/tmp", "rw,size=16m,mode=1777"), h.getTmpFs());
    assertEquals("65534:65534", spec.user());
  }

  @Test
  void aPlainSpecSetsNoLimits() {
    HostConfig h = SpecMapping.hostConfig(ContainerSpec.builder("busybox").build());
    assertNull(h.getMemory());
    assertNull(h.getNanoCPUs());
    assertNull(h.getPidsLimit());
    assertNull(h.getNetworkMode());
    assertNull(h.getCapDrop());
  }

  @Test
  void publishedPortsBindToLoopbackUnlessAnAddressIsNamed() {
    assertEquals(new PortBinding("127.0.0.1", 8080, 80, "tcp"), PortBinding.parse("8080:80"));
    assertEquals(new PortBinding("0.0.0.0", 8080, 80, "udp"), PortBinding.parse("0.0.0.0:8080:80/udp"));
    assertEquals(new PortBinding("127.0.0.1", 0, 80, "tcp"), PortBinding.parse("80"));
    assertEquals(new PortBinding("::1", 9000, 90, "tcp"), PortBinding.parse("[::1]:9000:90"));
    var e = assertThrows(IllegalArgumentException.class, () -> PortBinding.parse("80:http"));
    assertTrue(e.getMessage().contains("'80:http' is not a port"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> PortBinding.parse("8080:80/sctp"));

    HostConfig h = SpecMapping.hostConfig(ContainerSpec.builder("busybox").port(PortBinding.parse("8080:80")).build());
    Ports.Binding[] b = h.getPortBindings().getBindings().get(ExposedPort.tcp(80));
    assertEquals("127.0.0.1", b[0].getHostIp());
    assertEquals("8080", b[0].getHostPortSpec());
  }

  @Test
  void mountsEnvAndCapabilities() {
    ContainerSpec spec = ContainerSpec.builder("busybox").mount(ContainerSpec.Mount.parse("/data:/data:ro"))
        .env("B", "2").env("A", "1").build();
    assertEquals("/data:/data:ro", SpecMapping.hostConfig(spec).getBinds()[0].toString());
    assertEquals(List.of("A=1", "B=2"), SpecMapping.env(spec));
    assertEquals(Capability.NET_ADMIN, SpecMapping.capability("cap_net_admin"));
    var e = assertThrows(IllegalArgumentException.class, () -> SpecMapping.capability("FLY"));
    assertTrue(e.getMessage().contains("unknown capability 'FLY'"));
    assertThrows(IllegalArgumentException.class, () -> ContainerSpec.Mount.parse("relative"));
  }

  @Test
  void sizes() {
    assertEquals(64L << 20, SpecMapping.size("64m"));
    assertEquals(1L << 30, SpecMapping.size("1G"));
    assertEquals(512L << 10, SpecMapping.size("512kb"));
    assertEquals(1000, SpecMapping.size("1000"));
    var e = assertThrows(IllegalArgumentException.class, () -> SpecMapping.size("12qq"));
    assertEquals("'12qq' is not a size (such as 64m, 1g, 512k)", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> SpecMapping.size("-1m"));
  }

  @Test
  void aJobRunsHardenedWithItsLimitsInItsImageOrTheDefault() {
    Job job = new Job(List.of("echo", "hi"), Map.of("K", "V"), "/tmp", new Job.Limits(32L << 20, 0.25, 8),
        Duration.ofSeconds(5), null);
    ContainerSpec spec = ContainerRunner.spec(job, "busybox:latest");
    assertEquals("busybox:latest", spec.image());
    assertEquals(List.of("echo", "hi"), spec.command());
    assertEquals(Map.of("K", "V"), spec.env());
    assertEquals(32L << 20, spec.memoryBytes());
    assertEquals(0.25, spec.cpus());
    assertEquals(8, spec.pids());
    assertEquals("none", spec.network());
    assertTrue(spec.readOnlyRootfs() && spec.noNewPrivileges());
    assertEquals(List.of("ALL"), spec.capDrop());
    assertEquals("/tmp", spec.workDir());
    Job inImage = new Job(List.of("true"), Map.of(), null, null, null, "alpine:3");
    assertEquals("alpine:3", ContainerRunner.spec(inImage, "busybox:latest").image());
  }

  @Test
  void thePullProgressBar() {
    assertEquals("[===============>              ] 5.0/10.0 MB", DockerCommands.bar(5_000_000, 10_000_000));
    assertEquals("[==============================] 10.0/10.0 MB", DockerCommands.bar(10_000_000, 10_000_000));
  }

  @Test
  void cpuPercentAsDockerStatsComputesIt() {
    assertEquals(50.0, StatsMath.percent(50, 200, 2), 1e-9);
    assertEquals(0.0, StatsMath.percent(0, 200, 2));
    assertEquals(0.0, StatsMath.percent(10, 0, 2));
  }
}
