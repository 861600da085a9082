package io.dockevos.security;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * One thing a plugin may do that the runtime guards, as a plugin requests it in its manifest:
 *
 * <pre>
 * Dockevos-Permissions: docker, runner, config:com.acme.greeter*, events.publish:dockevos/acme/*
 * </pre>
 *
 * <p>{@code toString()} gives the form that the header, the commands and the grant store use: the
 * kind's name, then {@code :} and the pattern for the kinds that take one. A pattern is a glob:
 * {@code *} stands for any run of characters ({@code /} and {@code .} included), every other
 * character for itself.
 *
 * @param kind what it allows
 * @param pattern for {@link Kind#CONFIG}, the configuration PIDs (and factory PIDs) it allows; for
 *     {@link Kind#EVENTS_PUBLISH}, the topics; {@code null} for the other kinds
 * @since 0.1
 */
public record Permission(Kind kind, String pattern) {
  /** The manifest header in which a plugin requests its permissions, comma separated. */
  public static final String HEADER = "Dockevos-Permissions";

  /** What a permission allows. */
  public enum Kind {
    /** The container engine: the {@code DockerEngine} and {@code DockerServices} services. */
    DOCKER("docker", false),
    /** Running jobs: the {@code Runner} services (a container or a process). */
    RUNNER("runner", false),
    /**
     * Network access. Declared and shown only: nothing in the JVM can stop a bundle from opening a
     * socket, so it says what the plugin does, for the user who grants it.
     */
    NETWORK("network", false),
    /** The configurations whose PID matches the pattern, through {@code ConfigurationAdmin}. */
    CONFIG("config", true),
    /** Publishing events under {@code dockevos/} whose topic matches the pattern. */
    EVENTS_PUBLISH("events.publish", true),
    /**
     * Receiving the events whose topic matches the pattern. Enforced for external plugins (their
     * subscriptions); declared and shown for a bundle plugin, whose event handlers nothing in the
     * JVM can keep from registering.
     *
     * @since 0.2
     */
    EVENTS_SUBSCRIBE("events.subscribe", true),
    /** Installing and changing plugins and features: {@code PluginManager}, {@code FeatureManager}, {@code Installer}. */
    PLUGINS_MANAGE("plugins.manage", false),
    /** Everything the others allow, and the runtime's own services: the assistant, Configuration Admin, the shell. */
    ADMIN("admin", false);

    private final String text;
    private final boolean patterned;

    Kind(String text, boolean patterned) {
      this.text = text;
      this.patterned = patterned;
    }

    /** @return the name in the header, for example {@code events.publish} */
    public String text() {
      return text;
    }

    /** @return whether it takes a pattern after a {@code :} */
    public boolean patterned() {
      return patterned;
    }
  }

  public Permission {
    Objects.requireNonNull(kind, "kind");
    if (kind.patterned()) {
      if (pattern == null || pattern.isBlank()) {
        throw new InvalidPermissionException(null, kind.text(), kind.text() + " needs a pattern after a colon, for"
            + " example " + kind.text() + (kind == Kind.CONFIG ? ":com.acme.*" : ":dockevos/acme/*"));
      }
      pattern = pattern.strip();
    } else if (pattern != null) {
      throw new InvalidPermissionException(null, kind.text() + ":" + pattern, kind.text() + " takes no pattern");
    }
  }

  /** A permission of a kind that takes no pattern. */
  public static Permission of(Kind kind) {
    return new Permission(kind, null);
  }

  /**
   * @param text one permission as the header writes it, for example {@code docker} or {@code config:com.acme.*}
   * @throws InvalidPermissionException naming the text and what is wrong with it
   */
  public static Permission parse(String text) {
    String t = text == null ? "" : text.strip();
    if (t.isEmpty()) {
      throw new InvalidPermissionException(null, t, "an empty permission");
    }
    int colon = t.indexOf(':');
    String name = (colon < 0 ? t : t.substring(0, colon)).strip().toLowerCase(Locale.ROOT);
    for (Kind k : Kind.values()) {
      if (k.text().equals(name)) {
        try {
          return new Permission(k, colon < 0 ? null : t.substring(colon + 1));
        } catch (InvalidPermissionException e) {
          throw new InvalidPermissionException(null, t, e.reason());
        }
      }
    }
    throw new InvalidPermissionException(null, t, "'" + name + "' is not a permission; " + KNOWN);
  }

  /** The kinds, as a sentence for messages. */
  static final String KNOWN = "a permission is one of docker, runner, network, config:<pid-pattern>,"
      + " events.publish:<topic-pattern>, events.subscribe:<topic-pattern>, plugins.manage, admin";

  /**
   * @param header the value of {@value #HEADER}; {@code null} or blank for none
   * @return its permissions, each once, in its order
   * @throws InvalidPermissionException naming the header and the first entry that is not a permission
   */
  public static List<Permission> parseHeader(String header) {
    if (header == null || header.isBlank()) {
      return List.of();
    }
    Set<Permission> result = new LinkedHashSet<>();
    for (String entry : header.split(",")) {
      if (entry.isBlank()) {
        continue;
      }
      try {
        result.add(parse(entry));
      } catch (InvalidPermissionException e) {
        throw new InvalidPermissionException(HEADER, e.entry(), e.reason());
      }
    }
    return List.copyOf(result);
  }

  /** @return whether holding this permission allows what {@code other} allows */
  public boolean implies(Permission other) {
    if (kind == Kind.ADMIN || equals(other)) {
      return true;
    }
    return kind == other.kind() && kind.patterned() && matches(pattern, other.pattern());
  }

  /** @return whether this permission lets a plugin use the configuration {@code pid} */
  public boolean allowsConfiguration(String pid) {
    return kind == Kind.ADMIN || kind == Kind.CONFIG && pid != null && matches(pattern, pid);
  }

  /** @return whether this permission lets a plugin publish an event on {@code topic} */
  public boolean allowsTopic(String topic) {
    return kind == Kind.ADMIN || kind == Kind.EVENTS_PUBLISH && topic != null && matches(pattern, topic);
  }

  /**
   * @return whether this permission lets a plugin receive the events of {@code topics}, a topic or a
   *     pattern of them ({@code dockevos/plugin/*})
   * @since 0.2
   */
  public boolean allowsSubscription(String topics) {
    return kind == Kind.ADMIN || kind == Kind.EVENTS_SUBSCRIBE && topics != null && matches(pattern, topics);
  }

  /** @return whether any of {@code held} implies {@code wanted} */
  public static boolean implied(Collection<Permission> held, Permission wanted) {
    return held.stream().anyMatch(h -> h.implies(wanted));
  }

  /** @return the permissions of {@code wanted} that nothing in {@code held} implies, in their order */
  public static List<Permission> missing(Collection<Permission> held, Collection<Permission> wanted) {
    List<Permission> result = new ArrayList<>();
    for (Permission w : wanted) {
      if (!implied(held, w) && !result.contains(w)) {
        result.add(w);
      }
    }
    return List.copyOf(result);
  }

  /** @return the permissions as the header writes them: {@code docker, config:com.acme.*} */
  public static String join(Collection<Permission> permissions) {
    return String.join(", ", permissions.stream().map(Permission::toString).toList());
  }

  /**
   * A glob: {@code *} matches any run of characters, anything else itself. A pattern matches what it
   * names, and a glob that another glob's every match matches ({@code a.*} implies {@code a.b.*}).
   */
  static boolean matches(String glob, String text) {
    return match(glob, 0, text, 0);
  }

  private static boolean match(String g, int gi, String t, int ti) {
    while (gi < g.length()) {
      char c = g.charAt(gi);
      if (c == '*') {
        for (int k = ti; k <= t.length(); k++) {
          if (match(g, gi + 1, t, k)) {
            return true;
          }
        }
        return false;
      }
      if (ti >= t.length() || t.charAt(ti) != c) {
        return false;
      }
      gi++;
      ti++;
    }
    return ti == t.length();
  }

  @Override
  public String toString() {
    return pattern == null ? kind.text() : kind.text() + ":" + pattern;
  }
}
