package io.dockevos.external.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dockevos.docker.ContainerSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class PluginContainerTest {
  private static final Path FILE = Path.of("/plugins/c/plugin.yaml");
  private static final Path DATA = Path.of("/dockevos/data/plugins/c");

  @Test
  void theExampleRunsHardenedWithItsLimitsAndTheImagesCommand() throws Exception {
    PluginDescriptor d = PluginYaml.read(Path.of("../../examples/hello-container/plugin.yaml"));
    ContainerSpec s = PluginContainer.spec(d, DATA);
    assertEquals("dockevos/hello-container:1.0.0", s.image());
    assertEquals("dockevos-plugin-hello-container-1.0.0", s.name());
    assertEquals(List.of(), s.command(), "the image's own command");
    assertEquals("none", s.network());
    assertTrue(s.readOnlyRootfs());
    assertEquals("65534:65534", s.user());
    assertEquals(List.of("ALL"), s.capDrop());
    assertTrue(s.noNewPrivileges());
    assertEquals(64L << 20, s.memoryBytes());
    assertEquals(0.5, s.cpus());
    assertEquals(32, s.pids());
    assertEquals("hello-container", s.labels().get(PluginContainer.LABEL));
    assertEquals("hello-container", s.env().get("DOCKEVOS_PLUGIN_NAME"));
    assertEquals(List.of(new ContainerSpec.Mount(d.dir().toAbsolutePath().toString(), "/plugin", true),
        new ContainerSpec.Mount("/dockevos/data/plugins/c", "/data", false)), s.mounts(), "its folder read-only, its data folder");
    assertEquals("/plugin", s.env().get("DOCKEVOS_PLUGIN_DIR"));
    assertEquals("/data", s.env().get("DOCKEVOS_DATA_DIR"));
    assertEquals("/data", s.env().get("HOME"));
    assertEquals("/tmp", s.env().get("TMPDIR"));
  }

  @Test
  void itsFolderIsMadeReadableAndItsDataFolderWritableForItsUser(@TempDir Path tmp) throws Exception {
    Path plugin = Files.createDirectories(tmp.resolve("external/p/bin"));
    Files.setPosixFilePermissions(plugin, PosixFilePermissions.fromString("rwx------"));
    Files.setPosixFilePermissions(plugin.getParent(), PosixFilePermissions.fromString("rwx------"));
    Path file = Files.writeString(plugin.getParent().resolve("plugin.yaml"), "name: p\n");
    Path program = Files.writeString(plugin.resolve("run"), "#!/bin/sh\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwx------"));
    PluginContainer.readableByAll(plugin.getParent());
    assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(plugin.getParent())));
    assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(plugin)));
    assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(program)));

    Path data = tmp.resolve("plugins/p");
    PluginContainer.writableByItsUser(data, LoggerFactory.getLogger("p"));
    assertTrue(Files.isDirectory(data));
    boolean root = Integer.valueOf(0).equals(Files.getAttribute(tmp, "unix:uid"));
    if (root) {
      assertEquals(PluginContainer.UID, Files.getAttribute(data, "unix:uid"), "root gives it to 65534");
      assertEquals(PluginContainer.UID, Files.getAttribute(data, "unix:gid"));
    } else {
      assertEquals("rwxrwxrwx", PosixFilePermissions.toString(Files.getPosixFilePermissions(data)), "else open to all");
    }
  }

  @Test
  void theNetworkGrantGivesTheEnginesDefaultNetworkAndCommandAndArgsAreItsCommand() throws Exception {
    PluginDescriptor d = PluginYaml.parse(FILE, "name: c\nversion: \"1.0.0\"\nruntime: container\nimage: i:1\n"
        + "command: /bin/run\nargs: [--fast]\npermissions: [network]\nenv: {A: b}\nresources: {files: 64}\n");
    ContainerSpec s = PluginContainer.spec(d, DATA);
    assertNull(s.network());
    assertEquals(List.of("/bin/run", "--fast"), s.command());
    assertEquals("b", s.env().get("A"));
    String limits = PluginContainer.limits(d, DATA);
    assertTrue(limits.contains("network: granted (permission network; the engine's default network)"), limits);
    assertTrue(limits.contains("open files 64 not applied to a container"), limits);
  }
}
