package io.dockevos.security.internal;

import io.dockevos.common.internal.BootBundles;
import io.dockevos.common.internal.Json;
import io.dockevos.common.internal.Tables;
import io.dockevos.security.AuditEntry;
import io.dockevos.security.Grant;
import io.dockevos.security.InvalidPermissionException;
import io.dockevos.security.Permission;
import io.dockevos.security.Permissions;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;

/**
 * The {@code security:*} commands: what plugins were granted and request, granting and revoking,
 * and the audit. Who runs a command is its session's user ({@code dockevos.user}, else the OS user)
 * and where the session came from ({@code dockevos.origin}: console, client...).
 */
@Component(configurationPolicy = ConfigurationPolicy.IGNORE, service = SecurityCommands.class, property = {
    "osgi.command.scope=security", "osgi.command.function=grants", "osgi.command.function=grant",
    "osgi.command.function=revoke", "osgi.command.function=audit"})
public final class SecurityCommands {
  private final BundleContext context;
  private final Permissions permissions;

  @Activate
  public SecurityCommands(BundleContext context, @Reference Permissions permissions) {
    this.context = context;
    this.permissions = permissions;
  }

  /** @return who runs the session's commands: {@code alice (client)} */
  static String who(CommandSession session) {
    return io.dockevos.common.internal.Prompts.who(session == null ? null : session::get);
  }

  @Descriptor("the permissions granted to plugins (who granted them, when, how), and what installed plugins request"
      + " and do not hold")
  public void grants(
      @Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
          absentValue = "false") boolean help,
      @Descriptor("print JSON") @Parameter(names = "--json", presentValue = "true", absentValue = "false")
          boolean json,
      @Descriptor("only this plugin (its symbolic name)") String... plugin) {
    if (help) {
      io.dockevos.common.internal.CommandHelp.print(this, "security:grants");
      return;
    }
    String only = plugin.length > 0 ? plugin[0] : null;
    List<Grant> grants = only == null ? permissions.grants() : permissions.grants(only);
    Map<String, List<Permission>> requests = requests(only);
    PrintStream out = System.out;
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("grants", grants.stream().map(SecurityCommands::toMap).toList());
      Map<String, Object> notHeld = new LinkedHashMap<>();
      requests.forEach((name, req) -> {
        List<Permission> missing = Permission.missing(permissions.granted(name), req);
        if (!missing.isEmpty()) {
          notHeld.put(name, missing.stream().map(Permission::toString).toList());
        }
      });
      m.put("requestedNotGranted", notHeld);
      out.println(Json.pretty(m));
      return;
    }
    if (grants.isEmpty()) {
      out.println(only == null ? "No permissions are granted to any plugin."
          : "No permissions are granted to " + only + ".");
    } else {
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"Plugin", "Permissions", "Granted", "By", "Origin"});
      for (Grant g : grants) {
        rows.add(new String[] {g.plugin(), Permission.join(g.permissions()), time(g.at()), g.by(), g.origin()});
      }
      Tables.print(out, rows);
    }
    requests.forEach((name, req) -> {
      List<Permission> missing = Permission.missing(permissions.granted(name), req);
      if (!missing.isEmpty()) {
        out.println(name + " requests " + Permission.join(missing) + ", which it does not hold (security:grant "
            + name + " " + String.join(" ", missing.stream().map(Permission::toString).toList()) + ")");
      } else if (only != null) {
        out.println(name + " requests " + Permission.join(req) + ": it holds all of it");
      }
    });
  }

  /** @return what the installed plugins (not the runtime's own bundles) request, by symbolic name */
  private Map<String, List<Permission>> requests(String only) {
    Map<String, List<Permission>> result = new LinkedHashMap<>();
    for (Bundle b : context.getBundles()) {
      if (BootBundles.isBoot(b) || b.getSymbolicName() == null || only != null && !only.equals(b.getSymbolicName())) {
        continue;
      }
      try {
        List<Permission> req = Permission.parseHeader(b.getHeaders("").get(Permission.HEADER));
        if (!req.isEmpty()) {
          Set<Permission> all = new LinkedHashSet<>(result.getOrDefault(b.getSymbolicName(), List.of()));
          all.addAll(req);
          result.put(b.getSymbolicName(), List.copyOf(all));
        }
      } catch (InvalidPermissionException e) {
        // installed another way, past the plugin manager's check: it holds what it was granted, nothing more
      }
    }
    return result;
  }

  @Descriptor("grant permissions to a plugin, installed or not: a running plugin restarts with them, a jar of"
      + " deploy/ that waited for them is installed")
  public void grant(CommandSession session,
      @Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
          absentValue = "false") boolean help, @Descriptor("the plugin's symbolic name") String plugin,
      @Descriptor("permissions: docker, runner, network, config:<pid-pattern>, events.publish:<topic-pattern>,"
          + " plugins.manage, admin") String... perms) {
    if (help) {
      io.dockevos.common.internal.CommandHelp.print(this, "security:grant");
      return;
    }
    if (perms.length == 0) {
      throw new IllegalArgumentException("security:grant needs a plugin and the permissions to grant: security:grant"
          + " PLUGIN PERMISSION... (" + "docker, runner, network, config:<pid-pattern>, events.publish:<topic-pattern>,"
          + " plugins.manage, admin)");
    }
    List<Permission> list = parse(perms);
    refuseRuntime(plugin);
    Grant g = permissions.grant(plugin, list, who(session), "security:grant");
    PrintStream out = System.out;
    if (g.permissions().isEmpty()) {
      out.println(plugin + " holds " + Permission.join(list) + " already.");
      return;
    }
    out.println("Granted " + Permission.join(g.permissions()) + " to " + plugin + ".");
    running(plugin).forEach(b -> out.println("Restarted " + plugin + " " + b.getVersion() + " (plugin "
        + b.getBundleId() + ") with them."));
  }

  /** {@code security:grant} without its arguments: its help with {@code --help}, else what it needs. */
  public void grant(@Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
      absentValue = "false") boolean help) {
    io.dockevos.common.internal.CommandHelp.withoutArguments(this, "security:grant", help);
  }

  @Descriptor("revoke permissions of a plugin (all of them when none is named); a running plugin is refreshed at once"
      + " and loses the services it may no longer use")
  public void revoke(CommandSession session,
      @Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
          absentValue = "false") boolean help, @Descriptor("the plugin's symbolic name") String plugin,
      @Descriptor("the permissions to revoke, as they were granted; none for all") String... perms) {
    if (help) {
      io.dockevos.common.internal.CommandHelp.print(this, "security:revoke");
      return;
    }
    List<Permission> list = parse(perms);
    List<Permission> taken;
    try {
      taken = permissions.revoke(plugin, list, who(session), "security:revoke", null);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("Cannot revoke: " + e.getMessage(), e);
    }
    PrintStream out = System.out;
    if (taken.isEmpty()) {
      out.println(plugin + " holds no grants; nothing was revoked.");
      return;
    }
    out.println("Revoked " + Permission.join(taken) + " from " + plugin + ".");
    List<Permission> left = permissions.granted(plugin);
    out.println(plugin + " holds " + (left.isEmpty() ? "no permissions" : Permission.join(left)) + " now.");
    running(plugin).forEach(b -> out.println("Refreshed " + plugin + " " + b.getVersion() + " (plugin "
        + b.getBundleId() + "): it dropped the services it got."));
  }

  /** {@code security:revoke} without its arguments: its help with {@code --help}, else what it needs. */
  public void revoke(@Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
      absentValue = "false") boolean help) {
    io.dockevos.common.internal.CommandHelp.withoutArguments(this, "security:revoke", help);
  }

  @Descriptor("every grant, denial and revocation of permissions: when, which plugin, what, the decision, who and why")
  public void audit(
      @Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
          absentValue = "false") boolean help,
      @Descriptor("print JSON") @Parameter(names = "--json", presentValue = "true", absentValue = "false")
          boolean json,
      @Descriptor("only this plugin (its symbolic name)") String... plugin) {
    if (help) {
      io.dockevos.common.internal.CommandHelp.print(this, "security:audit");
      return;
    }
    String only = plugin.length > 0 ? plugin[0] : null;
    List<AuditEntry> entries = permissions.audit().stream().filter(e -> only == null || only.equals(e.plugin()))
        .toList();
    PrintStream out = System.out;
    if (json) {
      out.println(Json.pretty(entries.stream().map(SecurityCommands::toMap).toList()));
      return;
    }
    if (entries.isEmpty()) {
      out.println("No permission was granted, denied or revoked" + (only == null ? "" : " for " + only) + " yet.");
      return;
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"Time", "Plugin", "Decision", "Permissions", "By", "Origin", "Reason"});
    for (AuditEntry e : entries) {
      rows.add(new String[] {time(e.time()), e.plugin(), e.decision().name(), Permission.join(e.permissions()),
          e.by() == null ? "runtime" : e.by(), e.origin(), e.reason() == null ? "" : e.reason()});
    }
    Tables.print(out, rows);
  }

  private List<Bundle> running(String plugin) {
    List<Bundle> result = new ArrayList<>();
    for (Bundle b : context.getBundles()) {
      if (plugin.equals(b.getSymbolicName()) && !BootBundles.isBoot(b) && b.getState() == Bundle.ACTIVE) {
        result.add(b);
      }
    }
    return result;
  }

  private void refuseRuntime(String plugin) {
    for (Bundle b : context.getBundles()) {
      if (plugin.equals(b.getSymbolicName()) && BootBundles.isBoot(b)) {
        throw new IllegalStateException("Cannot grant permissions to " + plugin + ": it is part of the runtime itself"
            + " (a boot feature), which permissions never restrict");
      }
    }
  }

  private static List<Permission> parse(String[] perms) {
    List<Permission> list = new ArrayList<>();
    for (String p : perms) {
      try {
        list.add(Permission.parse(p));
      } catch (InvalidPermissionException e) {
        throw new IllegalArgumentException(e.getMessage(), e);
      }
    }
    return list;
  }

  private static String time(Instant t) {
    return io.dockevos.common.internal.TimeFormat.of(t);
  }

  static Map<String, Object> toMap(Grant g) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("plugin", g.plugin());
    m.put("permissions", g.permissions().stream().map(Permission::toString).toList());
    m.put("at", g.at().toString());
    m.put("by", g.by());
    m.put("origin", g.origin());
    return m;
  }

  static Map<String, Object> toMap(AuditEntry e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("time", e.time().toString());
    m.put("plugin", e.plugin());
    m.put("decision", e.decision().name());
    m.put("permissions", e.permissions().stream().map(Permission::toString).toList());
    m.put("by", e.by() == null ? "runtime" : e.by());
    m.put("origin", e.origin());
    m.put("reason", e.reason());
    return m;
  }
}
