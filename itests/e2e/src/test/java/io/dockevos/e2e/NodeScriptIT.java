package io.dockevos.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code .ci/node.sh install} on a machine with Node.js and on one without: the machines here have it,
 * so the path without it runs with a PATH that holds only stand-ins for the tools it calls; the
 * stand-in of {@code apt-get} records how it was called (apt-get itself is not what this tests).
 */
class NodeScriptIT {
  private static final Path SCRIPT = Path.of(System.getProperty("user.dir")).resolve("../../.ci/node.sh").normalize();

  @TempDir
  Path bin;

  @Test
  void withNodeAndNpmOnThePathItInstallsNothing() throws Exception {
    tool("node", "echo v20.1.0");
    tool("npm", "echo 10.2.0");
    tool("apt-get", "echo \"$@\" >> " + bin.resolve("apt.log") + "; exit 1");
    Run r = run();
    assertEquals(0, r.code(), r.out());
    assertTrue(r.out().contains("node: v20.1.0 with npm 10.2.0 is installed"), r.out());
    assertTrue(Files.notExists(bin.resolve("apt.log")), "apt-get must not run");
  }

  @Test
  void withoutNodeItInstallsNodejsAndNpmWithAptGetWithoutAsking() throws Exception {
    tool("npm", "echo 10.2.0"); // npm alone is not enough
    tool("apt-get", "echo \"${DEBIAN_FRONTEND:--} $*\" >> " + bin.resolve("apt.log"));
    Run r = run();
    assertEquals(0, r.code(), r.out());
    assertEquals(List.of("- update", "noninteractive install -y --no-install-recommends nodejs npm"),
        Files.readAllLines(bin.resolve("apt.log")));
  }

  @Test
  void aFailedAptGetFailsTheScript() throws Exception {
    tool("apt-get", "echo 'E: Unable to locate package nodejs' >&2; exit 100");
    Run r = run();
    assertNotEquals(0, r.code(), ".ci/run must stop when Node.js cannot be installed: " + r.out());
    assertTrue(r.out().contains("Unable to locate package nodejs"), r.out());
  }

  @Test
  void withoutAnArgumentItSaysHowToUseIt() throws Exception {
    Run r = run(List.of());
    assertEquals(2, r.code(), r.out());
    assertTrue(r.out().contains("usage: "), r.out());
  }

  private void tool(String name, String body) throws IOException {
    Path t = bin.resolve(name);
    Files.writeString(t, "#!/bin/bash\n" + body + "\n");
    Files.setPosixFilePermissions(t, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private Run run() throws Exception {
    return run(List.of("install"));
  }

  private Run run(List<String> args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("/bin/bash", SCRIPT.toString()));
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().clear(); // as on a bare machine: nothing but a PATH
    pb.environment().put("PATH", bin.toString()); // only the stand-ins: no node, npm or apt-get of the machine's
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    return new Run(p.exitValue(), out);
  }

  private record Run(int code, String out) {}
}
