package io.dockevos.security.internal;

import io.dockevos.api.Host;
import io.dockevos.common.internal.AtomicFiles;
import io.dockevos.security.AuditEntry;
import io.dockevos.security.Grant;
import io.dockevos.security.Permission;
import io.dockevos.security.Permissions;
import io.dockevos.security.SecurityEvents;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Permissions} service: the grants ({@link GrantStore}), the audit ({@link AuditLog}),
 * their events, and the policy of the configuration {@value Permissions#PID}. A change of the policy
 * is taken as it comes ({@code @Modified}): the service, and the hooks that use it, never go away
 * for it.
 */
@Component(service = Permissions.class, immediate = true, configurationPid = Permissions.PID,
    configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = PermissionsImpl.Config.class)
public final class PermissionsImpl implements Permissions {
  private static final Logger LOG = LoggerFactory.getLogger(PermissionsImpl.class);

  @ObjectClassDefinition(name = "dockevOS permissions policy",
      description = "What is granted to plugins without asking the user")
  public @interface Config {
    @AttributeDefinition(description = "Grant what plugins of this trust level request without asking: none, signed"
        + " (signed and trusted plugins) or trusted (plugins signed by a trusted key)")
    String autoGrant() default "none";

    @AttributeDefinition(description = "Grant admin, without asking, to the bundles taken from the runtime's own"
        + " repository, system/ (the distribution's features)")
    boolean grantSystem() default true;
  }

  /**
   * Told of each grant and revocation, with what the plugin held before and holds after (a plan's
   * provisional hold included; its coming and going is not told: the plan starts and stops the bundles).
   */
  interface Listener {
    void changed(String plugin, List<Permission> before, List<Permission> after);
  }

  private enum AutoGrant {
    NONE, SIGNED, TRUSTED
  }

  private final GrantStore store;
  private final AuditLog audit;
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private volatile AutoGrant autoGrant = AutoGrant.NONE;
  private volatile boolean grantSystem = true;

  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
  volatile EventAdmin events;

  @Activate
  public PermissionsImpl(BundleContext context, Config config) {
    String home = context.getProperty(Host.HOME_PROPERTY);
    String data = context.getProperty(Host.DATA_PROPERTY);
    Path dir = Path.of(data != null ? data : Path.of(home != null ? home : ".", "data").toString()).resolve("security");
    ownerOnly(dir);
    this.store = new GrantStore(dir.resolve("grants.json"));
    this.audit = new AuditLog(dir.resolve("audit.jsonl"));
    modified(config);
  }

  /** For tests: the store and audit under {@code dir}. */
  PermissionsImpl(Path dir) {
    ownerOnly(dir);
    this.store = new GrantStore(dir.resolve("grants.json"));
    this.audit = new AuditLog(dir.resolve("audit.jsonl"));
  }

  private static void ownerOnly(Path dir) {
    try {
      if (!Files.isDirectory(dir) && AtomicFiles.posix(dir.getParent())) {
        Files.createDirectories(dir.getParent());
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      }
    } catch (IOException e) {
      LOG.warn("Cannot make the folder {} for the permission grants: {}", dir, e.toString());
    }
  }

  @Modified
  void modified(Config config) {
    String value = config.autoGrant() == null ? "none" : config.autoGrant().strip().toUpperCase(Locale.ROOT);
    try {
      autoGrant = AutoGrant.valueOf(value.isEmpty() ? "NONE" : value);
    } catch (IllegalArgumentException e) {
      autoGrant = AutoGrant.NONE;
      LOG.error("The configuration {} (etc/{}.cfg) has {} = '{}', which is not none, signed or trusted; nothing is"
          + " granted without asking until it is", PID, PID, AUTO_GRANT, config.autoGrant());
    }
    grantSystem = config.grantSystem();
  }

  void addListener(Listener l) {
    listeners.add(l);
  }

  void removeListener(Listener l) {
    listeners.remove(l);
  }

  /** @return what the plugin holds now, without a lock: for the service hooks */
  List<Permission> held(String plugin) {
    return store.held(plugin);
  }

  Path grantsFile() {
    return store.file();
  }

  Path auditFile() {
    return audit.file();
  }

  @Override
  public List<Permission> granted(String plugin) {
    return store.held(plugin);
  }

  @Override
  public List<Grant> grants(String plugin) {
    return store.grants(plugin);
  }

  @Override
  public List<Grant> grants() {
    return store.all();
  }

  @Override
  public Grant grant(String plugin, Collection<Permission> permissions, String by, String origin) {
    check(plugin);
    List<Permission> before = store.held(plugin);
    Grant g;
    try {
      g = store.add(plugin, permissions, by, origin);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot grant " + Permission.join(permissions) + " to " + plugin + ": the grants"
          + " file " + store.file() + " cannot be written: " + e.getMessage(), e);
    }
    if (g == null) {
      return new Grant(plugin, List.of(), by, Instant.ofEpochMilli(System.currentTimeMillis()), origin);
    }
    record(new AuditEntry(g.at(), plugin, g.permissions(), AuditEntry.Decision.GRANTED, by, origin, null));
    LOG.info("Granted {} to {} (by {}, {})", Permission.join(g.permissions()), plugin, by, origin);
    tell(plugin, before, store.held(plugin));
    return g;
  }

  @Override
  public List<Permission> revoke(String plugin, Collection<Permission> permissions, String by, String origin,
      String reason) {
    check(plugin);
    List<Permission> before = store.held(plugin);
    List<Permission> taken;
    try {
      taken = store.remove(plugin, permissions);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot revoke the permissions of " + plugin + ": the grants file " + store.file()
          + " cannot be written: " + e.getMessage(), e);
    }
    if (taken.isEmpty()) {
      return taken;
    }
    record(new AuditEntry(Instant.ofEpochMilli(System.currentTimeMillis()), plugin, taken,
        AuditEntry.Decision.REVOKED, by, origin, reason));
    LOG.info("Revoked {} from {} (by {}, {}){}", Permission.join(taken), plugin, by, origin,
        reason == null ? "" : ": " + reason);
    tell(plugin, before, store.held(plugin));
    return taken;
  }

  @Override
  public void deny(String plugin, Collection<Permission> permissions, String by, String origin, String reason) {
    check(plugin);
    AuditEntry e = new AuditEntry(Instant.ofEpochMilli(System.currentTimeMillis()), plugin, List.copyOf(permissions),
        AuditEntry.Decision.DENIED, by, origin, reason);
    if ((by == null || "runtime".equals(by)) && audit.repeats(e)) {
      return; // the deploy folder plans a refused jar again whenever another bundle comes; a user's try is audited
    }
    LOG.warn("Denied {} to {} ({}): {}", Permission.join(permissions), plugin, origin, reason);
    record(e);
  }

  @Override
  public List<AuditEntry> audit() {
    return audit.read();
  }

  @Override
  public Optional<String> autoGrant(String trustLevel, boolean fromSystem) {
    if (fromSystem && grantSystem) {
      return Optional.of("policy:" + GRANT_SYSTEM);
    }
    String level = trustLevel == null ? UNSIGNED : trustLevel;
    AutoGrant a = autoGrant;
    if (a == AutoGrant.SIGNED && (SIGNED.equals(level) || TRUSTED.equals(level))
        || a == AutoGrant.TRUSTED && TRUSTED.equals(level)) {
      return Optional.of("policy:" + AUTO_GRANT + "=" + a.name().toLowerCase(Locale.ROOT));
    }
    return Optional.empty();
  }

  @Override
  public Provisional provisional(String plugin, Collection<Permission> permissions) {
    check(plugin);
    Runnable release = store.hold(plugin, permissions);
    return release::run;
  }

  private static void check(String plugin) {
    if (plugin == null || plugin.isBlank()) {
      throw new IllegalArgumentException("No plugin named: a grant is kept by the plugin's symbolic name");
    }
  }

  private void tell(String plugin, List<Permission> before, List<Permission> after) {
    for (Listener l : listeners) {
      try {
        l.changed(plugin, before, after);
      } catch (RuntimeException e) {
        LOG.error("Cannot apply the change of {}'s permissions: {}", plugin, e.toString(), e);
      }
    }
  }

  /** Appends to the audit, and publishes the decision. */
  private void record(AuditEntry e) {
    try {
      audit.append(e);
    } catch (IOException x) {
      LOG.error("Cannot append to the permission audit {}: {} (the decision: {} {} {} by {})", audit.file(),
          x.toString(), e.decision(), e.plugin(), Permission.join(e.permissions()), e.by());
    }
    EventAdmin ea = events;
    if (ea == null) {
      return;
    }
    Map<String, Object> props = new HashMap<>();
    props.put(SecurityEvents.PLUGIN, e.plugin());
    props.put(SecurityEvents.PERMISSIONS, e.permissions().stream().map(Permission::toString).toArray(String[]::new));
    props.put(SecurityEvents.BY, e.by() == null ? "runtime" : e.by());
    props.put(SecurityEvents.ORIGIN, e.origin() == null ? "?" : e.origin());
    if (e.reason() != null) {
      props.put(SecurityEvents.REASON, e.reason());
    }
    String topic = switch (e.decision()) {
      case GRANTED -> SecurityEvents.GRANTED;
      case DENIED -> SecurityEvents.DENIED;
      case REVOKED -> SecurityEvents.REVOKED;
    };
    ea.postEvent(new Event(topic, props));
  }
}
