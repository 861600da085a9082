package io.dockevos.install;

import java.util.List;

/**
 * What a {@link Change} does, as the resolver computed it: nothing has changed yet. {@code
 * plugin:install --dry-run} prints it.
 *
 * @param change the change planned
 * @param steps every bundle that is installed, updated or uninstalled, dependencies before those
 *     that need them
 * @param refresh the installed bundles that are refreshed, as {@code name version}
 * @param startOrder the bundles started, in that order, as {@code name version}: by the start level each has
 *     (or is given, {@link Change.Item#startLevel()}), as the framework orders them at boot; within one level,
 *     providers before the bundles that need them
 * @param configurations the configuration PIDs created or changed
 * @param refused with {@link Change.Option#PARTIAL}: the named sources that cannot be installed, and why
 * @param stopped with {@link Change.Option#PARTIAL}: the installed bundles that stop resolving
 * @param permissions each bundle the plan installs or updates (or leaves out for want of a grant) that
 *     requests permissions ({@link io.dockevos.security.Permission#HEADER}), in the order of the steps
 * @since 0.1
 */
public record Plan(Change change, List<Step> steps, List<String> refresh, List<String> startOrder,
    List<String> configurations, List<Refused> refused, List<Stopped> stopped, List<PermissionRequest> permissions) {
  public Plan {
    steps = List.copyOf(steps);
    refresh = List.copyOf(refresh);
    startOrder = List.copyOf(startOrder);
    configurations = List.copyOf(configurations);
    refused = List.copyOf(refused);
    stopped = List.copyOf(stopped);
    permissions = List.copyOf(permissions);
  }

  /** A plan whose bundles request no permissions. */
  public Plan(Change change, List<Step> steps, List<String> refresh, List<String> startOrder,
      List<String> configurations, List<Refused> refused, List<Stopped> stopped) {
    this(change, steps, refresh, startOrder, configurations, refused, stopped, List.of());
  }

  /** A plan that stops no installed bundle. */
  public Plan(Change change, List<Step> steps, List<String> refresh, List<String> startOrder,
      List<String> configurations, List<Refused> refused) {
    this(change, steps, refresh, startOrder, configurations, refused, List.of(), List.of());
  }

  /**
   * The permissions that a bundle of the plan requests in its manifest, and which of them it does not
   * hold yet.
   *
   * @param symbolicName the bundle's symbolic name, by which grants are kept
   * @param version its version
   * @param requested every permission it requests
   * @param ungranted those it does not hold yet (an update holds what the plugin was granted before)
   * @param policy when the policy grants the ungranted ones without asking: why ({@code
   *     policy:grantSystem}, {@code policy:autoGrant=trusted}); {@code null} when the user must
   * @since 0.1
   */
  public record PermissionRequest(String symbolicName, String version,
      List<io.dockevos.security.Permission> requested, List<io.dockevos.security.Permission> ungranted,
      String policy) {
    public PermissionRequest {
      requested = List.copyOf(requested);
      ungranted = List.copyOf(ungranted);
    }

    /** @return {@code name version} */
    public String identity() {
      return symbolicName + " " + version;
    }

    /** @return whether applying the plan asks the user for some: they are not granted, and no policy grants them */
    public boolean needsGrant() {
      return !ungranted.isEmpty() && policy == null;
    }
  }

  /**
   * @return the bundles that request permissions no one granted yet, and no policy grants: applying the
   *     plan needs {@link Change.Option#GRANT}
   * @since 0.1
   */
  public List<PermissionRequest> ungranted() {
    return permissions.stream().filter(PermissionRequest::needsGrant).toList();
  }

  /**
   * An installed bundle that no longer resolves once the plan is applied, because an update or
   * uninstall takes away what it needs ({@link Change.Option#PARTIAL} only: otherwise no plan fits).
   *
   * @param identity the bundle, as {@code name version}
   * @param missing what it will lack
   * @since 0.1
   */
  public record Stopped(String identity, List<io.dockevos.plugin.MissingRequirement> missing) {
    public Stopped {
      missing = List.copyOf(missing);
    }
  }

  /**
   * One bundle of the plan.
   *
   * @param op what happens to it
   * @param symbolicName its symbolic name
   * @param version its version
   * @param source where it comes from: the source the user named, a file of {@code system/}, the
   *     {@code mvn:} coordinates of the local Maven repository, or an index's URL
   * @param reason why it is in the plan, for example {@code named}, or {@code needed by
   *     com.fasterxml.jackson.databind 2.17.2 (package com.fasterxml.jackson.core); the version its POM declares}
   */
  public record Step(Change.Op op, String symbolicName, String version, String source, String reason) {
    /** @return {@code name version} */
    public String identity() {
      return symbolicName + " " + version;
    }
  }

  /**
   * A named source that the plan leaves out ({@link Change.Option#PARTIAL}).
   *
   * @param item the item
   * @param reason why, in plain words, naming the source
   * @param unsatisfied the requirements that nothing satisfies, when that is the cause
   */
  public record Refused(Change.Item item, String reason, List<io.dockevos.plugin.MissingRequirement> unsatisfied) {
    public Refused {
      unsatisfied = List.copyOf(unsatisfied);
    }
  }

  /** @return whether the plan changes nothing */
  public boolean isEmpty() {
    return steps.isEmpty();
  }

  /** @return the steps that do {@code op} */
  public List<Step> steps(Change.Op op) {
    return steps.stream().filter(s -> s.op() == op).toList();
  }

  /** @return the steps that install a bundle */
  public List<Step> installs() {
    return steps.stream().filter(s -> s.op() == Change.Op.INSTALL).toList();
  }
}
