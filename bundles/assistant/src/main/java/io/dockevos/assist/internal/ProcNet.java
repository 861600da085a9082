package io.dockevos.assist.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Who listens on a TCP port, from Linux's {@code /proc/net/tcp}, {@code /proc/net/tcp6} and the
 * socket links in {@code /proc/PID/fd}: no external tool. Processes of other users cannot be read
 * without privileges; then the port is known to be taken, but not by whom.
 */
final class ProcNet {
  /** A process: its id and its command line. */
  record Holder(long pid, String command) {}

  private static final String LISTEN = "0A";
  private final Path proc;

  ProcNet(Path proc) {
    this.proc = proc;
  }

  /** @return the socket inodes listening on the port, from tcp and tcp6 */
  Set<String> listening(int port) {
    Set<String> inodes = new HashSet<>();
    for (String table : List.of("net/tcp", "net/tcp6")) {
      List<String> lines;
      try {
        lines = Files.readAllLines(proc.resolve(table), StandardCharsets.US_ASCII);
      } catch (IOException e) {
        continue;
      }
      for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
        String[] f = line.trim().split("\\s+");
        if (f.length < 10) {
          continue;
        }
        String local = f[1];
        int colon = local.lastIndexOf(':');
        try {
          if (colon > 0 && Integer.parseInt(local.substring(colon + 1), 16) == port && LISTEN.equals(f[3])) {
            inodes.add(f[9]);
          }
        } catch (NumberFormatException ignored) {
          // not a line of the table
        }
      }
    }
    return inodes;
  }

  /** @return the process that holds a listening socket on the port, when it can be read */
  Optional<Holder> holder(int port) {
    Set<String> inodes = listening(port);
    if (inodes.isEmpty()) {
      return Optional.empty();
    }
    try (DirectoryStream<Path> pids = Files.newDirectoryStream(proc, p -> p.getFileName().toString().matches("\\d+"))) {
      for (Path pid : pids) {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(pid.resolve("fd"))) {
          for (Path fd : fds) {
            String link;
            try {
              link = Files.readSymbolicLink(fd).toString();
            } catch (IOException | UnsupportedOperationException e) {
              continue;
            }
            if (link.startsWith("socket:[") && inodes.contains(link.substring(8, link.length() - 1))) {
              return Optional.of(new Holder(Long.parseLong(pid.getFileName().toString()), command(pid)));
            }
          }
        } catch (IOException | SecurityException e) {
          // another user's process, or gone
        }
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  private static String command(Path pid) {
    try {
      byte[] raw = Files.readAllBytes(pid.resolve("cmdline"));
      String s = new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').trim();
      return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    } catch (IOException e) {
      return "?";
    }
  }
}
