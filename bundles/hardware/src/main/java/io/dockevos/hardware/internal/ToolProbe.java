package io.dockevos.hardware.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds a system tool and its version: the executable is looked up in the directories of
 * {@code PATH} (and the usual system directories) by this code, and run directly, without a shell,
 * with its version arguments and a short timeout.
 */
final class ToolProbe {
  /** A version: digits and dots, as tools print them ("git version 2.39.5", "Docker version 28.2.2,"). */
  private static final Pattern VERSION = Pattern.compile("(?<![\\w.])(\\d+(?:\\.\\d+){0,3})");
  private static final List<String> SYSTEM_DIRS = List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin");

  /** @param path the executable, {@code null} when not found; @param version the version it told, or {@code null} */
  record Found(Path path, String version, String source) {}

  private final Duration timeout;

  ToolProbe(Duration timeout) {
    this.timeout = timeout;
  }

  /** The executable named {@code tool}, from PATH's directories then the system directories. */
  static Path find(String tool) {
    if (tool.isEmpty() || tool.contains("/") || tool.startsWith(".")) {
      return null;
    }
    List<String> dirs = new ArrayList<>();
    String path = System.getenv("PATH");
    if (path != null) {
      for (String d : path.split(java.io.File.pathSeparator)) {
        if (!d.isEmpty() && Path.of(d).isAbsolute()) {
          dirs.add(d);
        }
      }
    }
    dirs.addAll(SYSTEM_DIRS);
    for (String d : dirs) {
      Path p = Path.of(d, tool);
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }

  Found probe(ToolCatalog.Tool tool) {
    Path exe = find(tool.name());
    if (exe == null) {
      return new Found(null, null, null);
    }
    if (!tool.versionArgs().isEmpty()) {
      List<String> cmd = new ArrayList<>();
      cmd.add(exe.toString());
      cmd.addAll(tool.versionArgs());
      String out = run(cmd);
      String v = version(out);
      if (v != null) {
        return new Found(exe, v, String.join(" ", cmd));
      }
    }
    // No version command (sh), or one that printed none: ask the Debian package that installed it.
    String pkg = tool.debianPackage() != null ? tool.debianPackage() : debianPackageOf(exe);
    if (pkg != null && find("dpkg-query") != null) {
      String v = version(run(List.of(find("dpkg-query").toString(), "-W", "-f=${Version}", pkg)));
      if (v != null) {
        return new Found(exe, v, "the Debian package " + pkg);
      }
    }
    return new Found(exe, null, null);
  }

  /** The package that owns the file, by {@code dpkg-query -S}, trying the merged-/usr alias too. */
  private String debianPackageOf(Path exe) {
    Path dpkg = find("dpkg-query");
    if (dpkg == null) {
      return null;
    }
    List<String> candidates = new ArrayList<>(List.of(exe.toString()));
    try {
      Path real = exe.toRealPath();
      candidates.add(real.toString());
      if (real.toString().startsWith("/usr/")) {
        candidates.add(real.toString().substring(4));
      }
    } catch (IOException e) {
      // keep the path as it is
    }
    for (String c : candidates) {
      String out = run(List.of(dpkg.toString(), "-S", c));
      if (out != null && out.contains(":") && !out.startsWith("dpkg-query:")) {
        return out.substring(0, out.indexOf(':')).strip();
      }
    }
    return null;
  }

  static String version(String output) {
    if (output == null) {
      return null;
    }
    Matcher m = VERSION.matcher(output);
    while (m.find()) {
      return m.group(1);
    }
    return null;
  }

  /** Runs the command without a shell; its output, or {@code null} when it failed to start or timed out. */
  String run(List<String> command) {
    try {
      ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      pb.environment().put("LC_ALL", "C");
      Process p = pb.start();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      Thread reader = new Thread(() -> {
        try (InputStream in = p.getInputStream()) {
          byte[] buf = new byte[4096];
          for (int n; (n = in.read(buf)) > 0 && out.size() < 64 * 1024; ) {
            synchronized (out) {
              out.write(buf, 0, n);
            }
          }
        } catch (IOException e) {
          // the process went away
        }
      }, "dockevos-hw-probe");
      reader.setDaemon(true);
      reader.start();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        return null;
      }
      reader.join(500);
      synchronized (out) {
        return out.toString(StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
