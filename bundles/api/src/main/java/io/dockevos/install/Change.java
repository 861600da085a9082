package io.dockevos.install;

import java.util.List;
import java.util.Set;

/**
 * A change to the installed plugins, to be planned by {@link Installer#plan}.
 *
 * @param items what to install, update and uninstall, in the order the user named them
 * @param scope where the plan may take bundles that no item names
 * @param options how the plan is applied
 * @param origin who asks, for the log and the journal, for example {@code plugin:install} or {@code deploy}
 * @param by the user who asks, for the audit of the permissions it grants or is denied: the shell
 *     session's user and where it came from ({@code alice (console)}); {@code null} for the runtime
 *     itself (the deploy folder, a feature)
 * @since 0.1
 */
public record Change(List<Item> items, Scope scope, Set<Option> options, String origin, String by) {
  public Change {
    items = List.copyOf(items);
    options = Set.copyOf(options);
  }

  /** A change that the runtime itself asks for ({@link #by()} is {@code null}). */
  public Change(List<Item> items, Scope scope, Set<Option> options, String origin) {
    this(items, scope, options, origin, null);
  }

  /**
   * @return this change with {@code option} too
   * @since 0.1
   */
  public Change with(Option option) {
    Set<Option> more = new java.util.HashSet<>(options);
    more.add(option);
    return new Change(items, scope, more, origin, by);
  }

  /** What one item does. */
  public enum Op {
    INSTALL, UPDATE, UNINSTALL,
    /**
     * Starts an installed plugin that does not resolve yet: the plan resolves it as it would a named
     * source, adds what it needs from the scope, and starts it.
     *
     * @since 0.1
     */
    START
  }

  /** Where the requirements of the named sources may be satisfied from. */
  public enum Scope {
    /** From what is installed, the change's own sources and the {@link Repositories}: the whole closure. */
    REPOSITORIES,
    /** From what is installed and the change's own sources only (the deploy folder, {@code --no-deps}). */
    GIVEN
  }

  /** How a plan is applied. */
  public enum Option {
    /** Install and resolve, but start nothing. */
    NO_START,
    /**
     * Each named source stands on its own: one that cannot be resolved (or started) is refused with
     * its reason while the others go ahead (a batch of deploy-folder files). An update or uninstall
     * goes ahead even when installed bundles that need what it takes away stop resolving: the plan
     * names them ({@link Plan#stopped()}). Without it the change is all or nothing.
     */
    PARTIAL,
    /** No health gate after the start: a bundle whose component waits for a service is not rolled back. */
    NO_GATE,
    /**
     * An uninstall keeps the plugin's data area and configurations, for when it is installed again
     * ({@code plugin:uninstall --keep-data}, and a feature's uninstall).
     *
     * @since 0.1
     */
    KEEP_DATA,
    /**
     * The permissions that the plan lists as not granted yet ({@link Plan#ungranted()}) are granted:
     * the plan's bundles start with them, and they are recorded when it commits ({@code
     * plugin:install --grant}, or the user's yes at the console). Without it a plan that lists some is
     * refused ({@link NotGrantedException}); with {@link #PARTIAL}, each bundle that requests some is
     * left out.
     *
     * @since 0.1
     */
    GRANT
  }

  /**
   * One thing to change.
   *
   * @param op install, update or uninstall
   * @param source for {@link Op#INSTALL} and {@link Op#UPDATE}: a path, a {@code file:}, {@code http(s):} or
   *     {@code mvn:} URL; {@code null} for an update from the plugin's recorded source. An {@code http(s):} URL
   *     is downloaded only when its SHA-256 is known, as its fragment ({@code https://example.org/x.jar#sha256=HEX})
   *     or from a registered index that offers it; a plain {@code http:} one only when such an index offers it
   * @param location for {@link Op#INSTALL}: the bundle location to install under (the deploy folder's
   *     {@code file:} URL of its file), or {@code null} for the plugin manager's own
   * @param ref for {@link Op#UPDATE}, {@link Op#UNINSTALL} and {@link Op#START}: the plugin, by id, name or
   *     {@code name/version}
   * @param startLevel for {@link Op#INSTALL}: the start level to give the bundle (a feature's {@code start-order}),
   *     or 0 for the framework's initial bundle start level. The plan starts its bundles by start level, as the
   *     framework does at boot; within one level, dependencies first.
   */
  public record Item(Op op, String source, String location, String ref, int startLevel) {
    public Item {
      if (startLevel < 0) {
        throw new IllegalArgumentException("A start level cannot be negative: " + startLevel);
      }
    }

    /** An item with the framework's initial bundle start level. */
    public Item(Op op, String source, String location, String ref) {
      this(op, source, location, ref, 0);
    }

    /** @return this item, installed at {@code level} (0: the framework's initial bundle start level) */
    public Item withStartLevel(int level) {
      return new Item(op, source, location, ref, level);
    }

    public static Item install(String source) {
      return new Item(Op.INSTALL, source, null, null);
    }

    public static Item install(String source, String location) {
      return new Item(Op.INSTALL, source, location, null);
    }

    public static Item update(String ref, String source) {
      return new Item(Op.UPDATE, source, null, ref);
    }

    public static Item uninstall(String ref) {
      return new Item(Op.UNINSTALL, null, null, ref);
    }

    /** @return an item that starts an installed plugin with what it needs ({@link Op#START}) */
    public static Item start(String ref) {
      return new Item(Op.START, null, null, ref);
    }
  }

  /** @return a change that installs {@code sources} and their closure from the repositories */
  public static Change install(String origin, List<String> sources, Option... options) {
    return new Change(sources.stream().map(Item::install).toList(), Scope.REPOSITORIES, Set.of(options), origin);
  }
}
