package io.dockevos.core.internal;

import io.dockevos.api.DeployEvents;
import io.dockevos.common.internal.AtomicFiles;
import io.dockevos.plugin.MissingRequirement;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The record of what failed in the deploy folder: {@code deploy/<file>.failed}, an ERROR line and a
 * {@link DeployEvents#FAILED} event for each failure, and {@link DeployEvents#RECOVERED} once the
 * file works. Markers survive a restart: the next run confirms or clears each.
 */
final class Markers {
  private static final Logger LOG = LoggerFactory.getLogger(DeployFolder.class);
  static final String SUFFIX = ".failed";
  /** Markers are written under a short temporary name, so that a long file name fails only at the rename. */
  static final String TEMP_PREFIX = ".dockevos-marker-";
  /** The longest file name most file systems take, in bytes. */
  private static final int NAME_MAX = 255;

  /**
   * What a failure concerns, for the event: a bundle (installed or not) and, when it cannot resolve,
   * the requirements that nothing satisfies.
   */
  record Subject(String symbolicName, String version, Long bundleId, List<MissingRequirement> missing) {
    static final Subject NONE = new Subject(null, null, null, List.of());
  }

  private final Path deploy;
  private final Supplier<EventAdmin> events;
  /** The reason of each failing file; "" for a marker found at start that this run has not confirmed yet. */
  private final Map<String, String> failed = new ConcurrentHashMap<>();
  /** Files whose marker cannot be written (a name too long): their failure is known without one. */
  private final Set<String> unwritable = ConcurrentHashMap.newKeySet();

  Markers(Path deploy, Supplier<EventAdmin> events) throws IOException {
    this.deploy = deploy;
    this.events = events;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(deploy)) {
      for (Path p : files) {
        String name = p.getFileName().toString();
        if (name.startsWith(TEMP_PREFIX)) {
          Files.deleteIfExists(p); // a marker a kill interrupted
        } else if (name.endsWith(SUFFIX) && !name.startsWith(".")) {
          // Kept until this run either confirms the failure or sees the file work.
          failed.put(name.substring(0, name.length() - SUFFIX.length()), "");
        }
      }
    }
  }

  static boolean isMarker(String name) {
    return name.endsWith(SUFFIX) || name.startsWith(TEMP_PREFIX);
  }

  boolean failing(String name) {
    return failed.containsKey(name);
  }

  Set<String> names() {
    return Set.copyOf(failed.keySet());
  }

  /** Records a failure, unless it is recorded already with the same reason. */
  void fail(String name, String reason, Subject subject) {
    if (reason.equals(failed.get(name)) && (unwritable.contains(name) || Files.exists(marker(name)))) {
      return;
    }
    failed.put(name, reason);
    String text = "deploy/" + name + " " + reason + "\n\n"
        + "Seen at " + io.dockevos.common.internal.TimeFormat.of(Instant.now()) + ". Fix or replace the file and dockevOS tries again;\n"
        + "this marker disappears once the file works. Delete the file to give up on it.\n";
    String markerError = write(name, text);
    if (markerError == null) {
      unwritable.remove(name);
      LOG.error("deploy/{} {}", name, reason);
    } else {
      unwritable.add(name);
      LOG.error("deploy/{} {} (no marker: deploy/{}{} cannot be written: {})", name, reason, name, SUFFIX, markerError);
    }
    post(DeployEvents.FAILED, name, reason, subject, markerError);
  }

  /** @return null once written, or why the marker cannot be */
  private String write(String name, String text) {
    Path temp = deploy.resolve(TEMP_PREFIX + UUID.randomUUID() + ".tmp");
    try {
      Files.writeString(temp, text, StandardCharsets.UTF_8);
      AtomicFiles.move(temp, marker(name));
      return null;
    } catch (IOException | RuntimeException e) {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException ignored) {
        // removed at the next start
      }
      int bytes = (name + SUFFIX).getBytes(StandardCharsets.UTF_8).length;
      return bytes > NAME_MAX ? "its name would be " + bytes + " bytes long, and a file name holds at most " + NAME_MAX
          : e.toString();
    }
  }

  /** The file works: its marker goes, and {@link DeployEvents#RECOVERED} says so if it had failed. */
  void clear(String name) {
    String was = failed.remove(name);
    boolean hadMarker;
    try {
      hadMarker = Files.deleteIfExists(marker(name));
    } catch (IOException e) {
      LOG.error("Cannot remove the marker of deploy/{}: {}", name, e.toString());
      return;
    }
    unwritable.remove(name);
    if (hadMarker || was != null && !was.isEmpty()) {
      LOG.info("deploy/{} works now", name);
      post(DeployEvents.RECOVERED, name, null, Subject.NONE, null);
    }
  }

  /** The file is gone: its marker goes too, without a claim that it works. */
  void forget(String name) {
    failed.remove(name);
    unwritable.remove(name);
    try {
      Files.deleteIfExists(marker(name));
    } catch (IOException e) {
      LOG.error("Cannot remove the marker of deploy/{}: {}", name, e.toString());
    }
  }

  private Path marker(String name) {
    return deploy.resolve(name + SUFFIX);
  }

  private void post(String topic, String name, String reason, Subject s, String markerError) {
    EventAdmin ea = events.get();
    if (ea == null) {
      return;
    }
    Map<String, Object> props = new HashMap<>();
    props.put(DeployEvents.PROP_FILE, deploy.resolve(name).toString());
    if (reason != null) {
      props.put(DeployEvents.PROP_REASON, reason);
    }
    if (s.symbolicName() != null) {
      props.put(DeployEvents.PROP_BUNDLE, s.symbolicName());
    }
    if (s.version() != null) {
      props.put(DeployEvents.PROP_BUNDLE_VERSION, s.version());
    }
    if (s.bundleId() != null) {
      props.put(DeployEvents.PROP_BUNDLE_ID, s.bundleId());
    }
    if (!s.missing().isEmpty()) {
      // As values: the error handler does not parse them back out of text.
      props.put(DeployEvents.PROP_REQUIREMENT_NAMESPACES, s.missing().stream().map(m -> m.namespace())
          .toArray(String[]::new));
      props.put(DeployEvents.PROP_REQUIREMENT_FILTERS, s.missing().stream().map(m -> m.filter()).toArray(String[]::new));
    }
    if (markerError != null) {
      props.put(DeployEvents.PROP_MARKER_ERROR, markerError);
    }
    ea.postEvent(new Event(topic, props));
  }
}
