package io.dockevos.plugin.internal;

import io.dockevos.install.Change;
import io.dockevos.install.NotGrantedException;
import io.dockevos.install.Plan;
import io.dockevos.plugin.PluginException;
import io.dockevos.plugin.internal.plan.Planner;
import io.dockevos.security.Grant;
import io.dockevos.security.InvalidPermissionException;
import io.dockevos.security.Permission;
import io.dockevos.security.Permissions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.resource.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The permissions step of the install pipeline: reads what each bundle of a plan requests ({@link
 * Permission#HEADER}) and asks the {@link Permissions} service what it holds and what the policy
 * grants; refuses to apply a plan whose bundles request what no one granted, unless the change
 * carries {@link Change.Option#GRANT} (and audits the refusal); lets the plan's bundles hold what it
 * grants while it is applied; and records those grants when the plan commits, never when it rolls
 * back. An uninstall (without keeping the plugin's data) forgets the plugin's grants.
 */
final class PermissionGate {
  private static final Logger LOG = LoggerFactory.getLogger(PermissionGate.class);
  private static final Permission ADMIN = Permission.of(Permission.Kind.ADMIN);
  /** What the policy's grants to the runtime's own repository are recorded as ({@link Grant#by()}). */
  private static final String SYSTEM_POLICY = "policy:" + Permissions.GRANT_SYSTEM;

  private final BundleContext context;
  private final Supplier<Permissions> permissions;
  private final Path home;
  private final Path system;
  private final TrustLevels trust;

  /**
   * @param permissions the service, or {@code null} when it does not run: then nothing can be granted,
   *     and a plan whose bundles request permissions is refused
   */
  PermissionGate(BundleContext context, Supplier<Permissions> permissions, Path home, TrustLevels trust) {
    this.context = context;
    this.permissions = permissions;
    this.home = home;
    this.system = real(home.resolve("system"));
    this.trust = trust;
  }

  /** @see Planner.Host#permissions */
  Plan.PermissionRequest request(Change change, Change.Item item, Path jar, Manifest manifest, String source,
      Resource resource) throws PluginException {
    if (jar == null) {
      return null;
    }
    String bsn = io.dockevos.plugin.internal.plan.Planner.name(resource);
    String version = io.dockevos.plugin.internal.plan.Planner.version(resource).toString();
    List<Permission> requested;
    try {
      requested = Permission.parseHeader(manifest != null ? manifest.getMainAttributes().getValue(Permission.HEADER)
          : header(jar));
    } catch (InvalidPermissionException e) {
      throw new PluginException("Cannot install " + source + ": its manifest header " + e.getMessage());
    } catch (IOException e) {
      throw new PluginException("Cannot install " + source + ": its manifest cannot be read: " + e.getMessage(), e);
    }
    Permissions p = permissions.get();
    Plan.PermissionRequest request;
    if (p == null) {
      request = requested.isEmpty() ? null : new Plan.PermissionRequest(bsn, version, requested, requested, null);
    } else {
      boolean fromSystem = fromSystem(jar);
      Optional<String> policy = p.autoGrant(trust.of(jar, source), fromSystem);
      // The policy grants admin to the runtime's own repository: its bundles are the distribution's.
      List<Permission> wanted = policy.filter(SYSTEM_POLICY::equals).isPresent() ? List.of(ADMIN) : requested;
      List<Permission> ungranted = Permission.missing(held(p, bsn, fromSystem), wanted);
      request = requested.isEmpty() && ungranted.isEmpty() ? null
          : new Plan.PermissionRequest(bsn, version, requested, ungranted, ungranted.isEmpty() ? null : policy.orElse(null));
    }
    if (request != null && item != null && request.needsGrant() && change.options().contains(Change.Option.PARTIAL)
        && !change.options().contains(Change.Option.GRANT)) {
      throw new NotGrantedException(refusal(change, item, List.of(request)), List.of(request));
    }
    return request;
  }

  /**
   * @return what the plugin holds; a jar from outside {@code system/} does not keep what the policy
   *     granted to a jar of that name from {@code system/}
   */
  private static List<Permission> held(Permissions p, String bsn, boolean fromSystem) {
    if (fromSystem) {
      return p.granted(bsn);
    }
    Set<Permission> result = new LinkedHashSet<>();
    for (Grant g : p.grants(bsn)) {
      if (!SYSTEM_POLICY.equals(g.by())) {
        result.addAll(g.permissions());
      }
    }
    return List.copyOf(result);
  }

  /**
   * Refuses a plan whose bundles request permissions no one granted, unless its change grants them;
   * each refusal is audited. A {@link Change.Option#PARTIAL} plan left those bundles out already.
   *
   * @throws NotGrantedException naming the bundles, the permissions and how to grant them
   */
  void check(Plan plan) throws PluginException {
    Change change = plan.change();
    List<Plan.PermissionRequest> ungranted = plan.ungranted();
    Permissions p = permissions.get();
    if (change.options().contains(Change.Option.GRANT)) {
      if (p == null && !ungranted.isEmpty()) {
        throw new PluginException("Cannot " + Planner.verb(change) + " " + Planner.what(change) + ": the permissions"
            + " it requests cannot be granted, because the permissions service (the bundle io.dockevos.security)"
            + " does not run. Nothing was changed.");
      }
      return;
    }
    if (ungranted.isEmpty()) {
      return;
    }
    boolean partial = change.options().contains(Change.Option.PARTIAL);
    if (p != null) {
      for (Plan.PermissionRequest r : ungranted) {
        p.deny(r.symbolicName(), r.ungranted(), by(change), change.origin(), partial ? "not granted: left out"
            : "not granted: nothing was " + (Planner.verb(change).equals("install") ? "installed" : "changed"));
      }
    }
    if (!partial) {
      throw new NotGrantedException(refusal(change, null, ungranted), ungranted);
    }
  }

  /**
   * Lets the plan's bundles hold what it grants while it is applied (they start with it).
   *
   * @return what takes it back: closed when the plan committed (after {@link #committed}) or rolled back
   */
  AutoCloseable hold(Plan plan) {
    Permissions p = permissions.get();
    if (p == null) {
      return () -> { };
    }
    List<Permissions.Provisional> held = new ArrayList<>();
    for (Plan.PermissionRequest r : granting(plan)) {
      held.add(p.provisional(r.symbolicName(), r.ungranted()));
    }
    return () -> held.forEach(Permissions.Provisional::close);
  }

  /** Records what the committed plan grants, and forgets the grants of the plugins it uninstalled. */
  void committed(Plan plan) {
    Permissions p = permissions.get();
    if (p == null) {
      return;
    }
    Change change = plan.change();
    for (Plan.PermissionRequest r : granting(plan)) {
      if (installed(r.symbolicName(), r.version())) {
        p.grant(r.symbolicName(), r.ungranted(), r.policy() != null ? r.policy() : by(change),
            change.origin() + (r.policy() != null ? "" : " --grant"));
      }
    }
    for (Plan.Step s : plan.steps()) {
      if (s.op() == Change.Op.UNINSTALL && !change.options().contains(Change.Option.KEEP_DATA)
          && !installed(s.symbolicName(), null)) {
        forget(p, s.symbolicName(), null, change, "uninstalled");
      } else if (s.op() != Change.Op.UNINSTALL && s.source() != null && !fromSystem(file(s.source()))) {
        forget(p, s.symbolicName(), SYSTEM_POLICY, change,
            "its jar no longer comes from the runtime's own repository, system/");
      }
    }
  }

  /** Revokes the plugin's grants (those the policy {@code by} gave, when not null). */
  private static void forget(Permissions p, String bsn, String by, Change change, String reason) {
    List<Permission> perms = new ArrayList<>();
    for (Grant g : p.grants(bsn)) {
      if (by == null || by.equals(g.by())) {
        perms.addAll(g.permissions());
      }
    }
    if (!perms.isEmpty()) {
      try {
        p.revoke(bsn, perms, PermissionGate.by(change), change.origin(), reason);
      } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
        LOG.error("Cannot revoke the permissions of {} ({}): {}", bsn, reason, e.getMessage());
      }
    }
  }

  /** @return the requests whose permissions the plan grants: by the policy, or all of them with {@link Change.Option#GRANT} */
  private static List<Plan.PermissionRequest> granting(Plan plan) {
    boolean grant = plan.change().options().contains(Change.Option.GRANT);
    Set<String> stepped = new java.util.HashSet<>();
    plan.steps().stream().filter(s -> s.op() != Change.Op.UNINSTALL).forEach(s -> stepped.add(s.identity()));
    return plan.permissions().stream().filter(r -> !r.ungranted().isEmpty() && (grant || r.policy() != null)
        && stepped.contains(r.identity())).toList();
  }

  private boolean installed(String bsn, String version) {
    for (Bundle b : context.getBundles()) {
      if (bsn.equals(b.getSymbolicName()) && b.getState() != Bundle.UNINSTALLED
          && (version == null || version.equals(b.getVersion().toString()))) {
        return true;
      }
    }
    return false;
  }

  static String by(Change change) {
    return change.by() != null ? change.by() : "runtime";
  }

  /**
   * @param item the named source left out, for a {@link Change.Option#PARTIAL} change; {@code null} for the whole plan
   * @return why the plan (or the source) is refused, and how to grant what it requests
   */
  static String refusal(Change change, Change.Item item, List<Plan.PermissionRequest> requests) {
    String verb = item != null ? (item.op() == Change.Op.UPDATE ? "update" : "install") : Planner.verb(change);
    String what = item != null ? (item.op() == Change.Op.UPDATE ? item.ref() : item.source()) : Planner.what(change);
    StringBuilder s = new StringBuilder("Cannot ").append(verb).append(' ').append(what).append(": ");
    List<String> parts = new ArrayList<>();
    List<String> grants = new ArrayList<>();
    for (Plan.PermissionRequest r : requests) {
      parts.add(r.identity() + " requests the permission" + (r.ungranted().size() == 1 ? " " : "s ")
          + Permission.join(r.ungranted()) + ", which " + (r.ungranted().size() == 1 ? "is" : "are") + " not granted");
      grants.add("security:grant " + r.symbolicName() + " " + String.join(" ", r.ungranted().stream()
          .map(Permission::toString).toList()));
    }
    s.append(String.join("; ", parts)).append(". ");
    String grantCommands = String.join(", then ", grants);
    switch (change.origin()) {
      case InstallPipeline.INSTALL_ORIGIN -> s.append("Grant them with plugin:install --grant ")
          .append(String.join(" ", userSources(change))).append(", or with ").append(grantCommands)
          .append(" before installing it.");
      case "plugin:update" -> s.append("Grant them with plugin:update --grant ").append(String.join(" ", change.items()
          .stream().map(i -> i.ref() + (i.source() != null ? " " + i.source() : "")).toList())).append(", or with ")
          .append(grantCommands).append(" before updating it.");
      case "deploy" -> s.append("Grant them with ").append(grantCommands).append(": the deploy folder then installs it"
          + " at its next scan.");
      default -> s.append("Grant them with ").append(grantCommands).append(", then try again.");
    }
    if (item == null) {
      s.append(verb.equals("install") ? " Nothing was installed." : " Nothing was changed.");
    }
    return s.toString();
  }

  /** @return the sources as the user named them: a plugin archive's, not its members' ({@code a.zip!/b.jar}) */
  private static List<String> userSources(Change change) {
    Set<String> result = new LinkedHashSet<>();
    for (Change.Item i : change.items()) {
      if (i.source() != null) {
        int bang = i.source().indexOf("!/");
        result.add(bang > 0 ? i.source().substring(0, bang) : i.source());
      }
    }
    return List.copyOf(result);
  }

  private static String header(Path jar) throws IOException {
    try (JarFile f = new JarFile(jar.toFile(), false)) {
      Manifest mf = f.getManifest();
      return mf == null ? null : mf.getMainAttributes().getValue(Permission.HEADER);
    }
  }

  /** @return whether the jar lies in the runtime's own repository, {@code system/} (links followed) */
  boolean fromSystem(Path jar) {
    Path p = jar == null ? null : real(jar);
    return p != null && system != null && p.startsWith(system);
  }

  /** @return the file a plan's source names, or {@code null} for a URL */
  private Path file(String source) {
    try {
      if (source.startsWith("file:")) {
        return Path.of(java.net.URI.create(source));
      }
      if (source.matches("^[a-zA-Z][a-zA-Z0-9+.-]+:.*")) {
        return null;
      }
      return home.resolve(source);
    } catch (IllegalArgumentException e) { // an InvalidPathException too
      return null;
    }
  }

  private static Path real(Path p) {
    try {
      return Files.exists(p) ? p.toRealPath() : p.toAbsolutePath().normalize();
    } catch (IOException e) {
      return p.toAbsolutePath().normalize();
    }
  }
}
