package io.dockevos.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dockevos.docker.DockerEngine;
import io.dockevos.install.Change;
import io.dockevos.install.Installer;
import io.dockevos.install.NotGrantedException;
import io.dockevos.install.Plan;
import io.dockevos.plugin.PluginException;
import io.dockevos.plugin.PluginManager;
import io.dockevos.security.AuditEntry;
import io.dockevos.security.Grant;
import io.dockevos.security.Permission;
import io.dockevos.security.Permissions;
import io.dockevos.security.SecurityEvents;
import io.dockevos.test.tiny.TinyBundles;
import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;

/**
 * Permissions in a real framework: the service hooks hide the protected services from a plugin that
 * holds no grant for them and show them once it does; a revocation takes them away at once; the
 * install pipeline refuses what requests ungranted permissions, and records what it grants; every
 * grant, denial and revocation is audited and published.
 */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
class PermissionsTest {
  static final String WANTS_DOCKER = "io.dockevos.test.wantsdocker";
  static final String COMPONENT = "io.dockevos.test.wantsdocker.WantsDocker";
  static final Permission DOCKER = Permission.of(Permission.Kind.DOCKER);

  @InjectBundleContext
  BundleContext context;

  @InjectService
  Installer installer;

  @InjectService
  PluginManager plugins;

  @InjectService
  Permissions permissions;

  @InjectService
  ServiceComponentRuntime scr;

  @TempDir
  Path dir;

  /** A stand-in container engine: the docker feature is not in this run. */
  private ServiceRegistration<DockerEngine> engine;
  private Instant start;

  @BeforeEach
  void registerAnEngine() {
    // Other tests leave grants behind: a feature's uninstall keeps its bundles' (the policy's admin for system/).
    forgetGrants();
    start = Instant.now().minusMillis(1);
    DockerEngine stub = (DockerEngine) Proxy.newProxyInstance(DockerEngine.class.getClassLoader(),
        new Class<?>[] {DockerEngine.class}, (proxy, method, args) -> {
          if (method.getName().equals("toString")) {
            return "stand-in DockerEngine";
          }
          throw new UnsupportedOperationException("a stand-in engine");
        });
    engine = context.registerService(DockerEngine.class, stub, null);
  }

  @AfterEach
  void cleanUp() throws Exception {
    engine.unregister();
    for (Bundle b : context.getBundles()) {
      if (b.getSymbolicName() != null && b.getSymbolicName().startsWith("io.dockevos.test.")
          && b.getState() != Bundle.UNINSTALLED) {
        b.uninstall();
      }
    }
    forgetGrants();
  }

  private void forgetGrants() {
    for (String name : List.of(WANTS_DOCKER, "io.dockevos.test.good")) {
      if (!permissions.grants(name).isEmpty()) {
        permissions.revoke(name, List.of(), "tester", "test clean-up", null);
      }
    }
  }

  /** Installs a tiny bundle past the pipeline (as Gogo's {@code install} would): it holds nothing. */
  private Bundle installRaw(String jar) throws Exception {
    try (InputStream in = TinyBundles.open(jar)) {
      Bundle b = context.installBundle("test:" + jar, in);
      b.start();
      return b;
    }
  }

  private int componentState(Bundle b) {
    for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs(b)) {
      if (d.name.equals(COMPONENT)) {
        return scr.getComponentConfigurationDTOs(d).stream().mapToInt(c -> c.state).findFirst().orElse(-1);
      }
    }
    return -1;
  }

  private static boolean running(int state) {
    return state == ComponentConfigurationDTO.ACTIVE || state == ComponentConfigurationDTO.SATISFIED;
  }

  private static ServiceReference<?>[] engines(Bundle b) throws Exception {
    return b.getBundleContext().getServiceReferences(DockerEngine.class.getName(), null);
  }

  private Change install(String jar, Change.Option... options) {
    return new Change(List.of(Change.Item.install(TinyBundles.copyTo(jar, dir).toString())), Change.Scope.GIVEN,
        Set.of(options), "plugin:install", "tester (test)");
  }

  private List<AuditEntry> audit(String plugin) {
    return permissions.audit().stream().filter(e -> e.plugin().equals(plugin) && !e.time().isBefore(start)).toList();
  }

  @Test
  void aPluginWithoutTheDockerGrantGetsNoDockerEngineAndWithTheGrantItDoes() throws Exception {
    Bundle b = installRaw(TinyBundles.WANTS_DOCKER);
    assertNull(b.getBundleContext().getServiceReference(DockerEngine.class), "no grant: the engine is hidden");
    assertNull(engines(b), "no grant: a look-up of every engine finds none");
    Await.until(() -> componentState(b), s -> s == ComponentConfigurationDTO.UNSATISFIED_REFERENCE,
        "its component waits for an engine it may not see");
    assertNotNull(context.getServiceReference(DockerEngine.class), "the runtime's own bundles see the engine");

    permissions.grant(WANTS_DOCKER, List.of(DOCKER), "tester (test)", "security:grant");
    assertEquals(Bundle.ACTIVE, b.getState(), "restarted with the grant");
    ServiceReference<DockerEngine> ref = b.getBundleContext().getServiceReference(DockerEngine.class);
    assertNotNull(ref, "granted: the engine is there");
    assertEquals(engine.getReference(), ref);
    Await.until(() -> componentState(b), PermissionsTest::running, "its component gets the engine");

    permissions.revoke(WANTS_DOCKER, List.of(DOCKER), "tester (test)", "security:revoke", null);
    assertNull(b.getBundleContext().getServiceReference(DockerEngine.class), "revoked: the engine is hidden again");
    Await.until(() -> componentState(b), s -> s == ComponentConfigurationDTO.UNSATISFIED_REFERENCE,
        "revoked: the plugin was refreshed and its component lost the engine");
  }

  @Test
  void theInstallPipelineRefusesUngrantedPermissionsAndRecordsThoseItGrants() throws Exception {
    Plan plan = installer.plan(install(TinyBundles.WANTS_DOCKER));
    assertEquals(1, plan.ungranted().size(), "the plan lists what is not granted: " + plan.permissions());
    Plan.PermissionRequest r = plan.ungranted().get(0);
    assertEquals(WANTS_DOCKER + " 1.0.0", r.identity());
    assertEquals(List.of(DOCKER), r.ungranted());

    NotGrantedException e = assertThrows(NotGrantedException.class,
        () -> installer.execute(install(TinyBundles.WANTS_DOCKER)));
    assertTrue(e.getMessage().contains(WANTS_DOCKER + " 1.0.0 requests the permission docker, which is not granted"),
        e.getMessage());
    assertTrue(e.getMessage().contains("plugin:install --grant"), e.getMessage());
    assertTrue(e.getMessage().contains("security:grant " + WANTS_DOCKER + " docker"), e.getMessage());
    assertTrue(plugins.find(WANTS_DOCKER).isEmpty(), "nothing was installed");

    installer.execute(install(TinyBundles.WANTS_DOCKER, Change.Option.GRANT));
    Bundle b = Arrays.stream(context.getBundles()).filter(x -> WANTS_DOCKER.equals(x.getSymbolicName())).findFirst()
        .orElseThrow();
    Await.until(() -> componentState(b), PermissionsTest::running, "installed with the grant: its component runs");
    List<Grant> grants = permissions.grants(WANTS_DOCKER);
    assertEquals(1, grants.size(), grants::toString);
    assertEquals(List.of(DOCKER), grants.get(0).permissions());
    assertEquals("tester (test)", grants.get(0).by());
    assertEquals("plugin:install --grant", grants.get(0).origin());

    installer.execute(new Change(List.of(Change.Item.uninstall(WANTS_DOCKER)), Change.Scope.GIVEN, Set.of(),
        "plugin:uninstall", "tester (test)"));
    assertEquals(List.of(), permissions.grants(WANTS_DOCKER), "an uninstall forgets the grants");
    assertEquals(List.of(AuditEntry.Decision.DENIED, AuditEntry.Decision.GRANTED, AuditEntry.Decision.REVOKED),
        audit(WANTS_DOCKER).stream().map(AuditEntry::decision).toList());
  }

  @Test
  void anUpdateThatAsksForMoreAsksAgainForWhatIsNew() throws Exception {
    installer.execute(install(TinyBundles.WANTS_DOCKER, Change.Option.GRANT));
    Change update = new Change(List.of(Change.Item.update(WANTS_DOCKER,
        TinyBundles.copyTo(TinyBundles.WANTS_DOCKER_2, dir).toString())), Change.Scope.GIVEN, Set.of(),
        "plugin:update", "tester (test)");
    Plan plan = installer.plan(update);
    assertEquals(1, plan.ungranted().size(), plan.permissions()::toString);
    assertEquals(List.of(Permission.parse("runner")), plan.ungranted().get(0).ungranted(),
        "it holds docker already: only runner is asked for");

    NotGrantedException e = assertThrows(NotGrantedException.class, () -> installer.execute(update));
    assertTrue(e.getMessage().startsWith("Cannot update " + WANTS_DOCKER), e.getMessage());
    assertTrue(e.getMessage().contains("plugin:update --grant " + WANTS_DOCKER), e.getMessage());
    assertEquals("1.0.0", plugins.find(WANTS_DOCKER).orElseThrow().version(), "not updated");

    installer.execute(update.with(Change.Option.GRANT));
    assertEquals("2.0.0", plugins.find(WANTS_DOCKER).orElseThrow().version());
    assertEquals("docker, runner", Permission.join(permissions.granted(WANTS_DOCKER)), "the grants are kept, runner added");
  }

  @Test
  void grantDenyAndRevokeAreAuditedAndPublished() throws Exception {
    try (Events events = new Events(context, SecurityEvents.ALL)) {
      assertThrows(NotGrantedException.class, () -> installer.execute(install(TinyBundles.WANTS_DOCKER)));
      permissions.grant(WANTS_DOCKER, List.of(DOCKER), "alice (console)", "security:grant");
      permissions.revoke(WANTS_DOCKER, List.of(), "bob (client)", "security:revoke", null);

      List<AuditEntry> audit = audit(WANTS_DOCKER);
      assertEquals(3, audit.size(), audit::toString);
      assertEquals(AuditEntry.Decision.DENIED, audit.get(0).decision());
      assertEquals("tester (test)", audit.get(0).by());
      assertEquals("plugin:install", audit.get(0).origin());
      assertEquals(AuditEntry.Decision.GRANTED, audit.get(1).decision());
      assertEquals("alice (console)", audit.get(1).by());
      assertEquals(AuditEntry.Decision.REVOKED, audit.get(2).decision());
      assertEquals("bob (client)", audit.get(2).by());
      audit.forEach(a -> assertEquals(List.of(DOCKER), a.permissions()));

      for (String topic : List.of(SecurityEvents.DENIED, SecurityEvents.GRANTED, SecurityEvents.REVOKED)) {
        Event ev = Await.until(() -> events.of(topic).stream().filter(x -> WANTS_DOCKER.equals(
            x.getProperty(SecurityEvents.PLUGIN))).findFirst().orElse(null), x -> x != null, topic);
        assertEquals(List.of("docker"), Arrays.asList((String[]) ev.getProperty(SecurityEvents.PERMISSIONS)));
      }
    }
  }

  @Test
  void aMisspeltPermissionIsRefusedNamingTheHeaderAndTheEntry() {
    PluginException e = assertThrows(PluginException.class, () -> installer.plan(install(TinyBundles.BAD_PERMISSIONS)));
    assertTrue(e.getMessage().contains("bad-permissions.jar: its manifest header Dockevos-Permissions: 'dokcer' is not"
        + " a valid permission"), e.getMessage());
  }

  @Test
  void aPartialChangeLeavesOutOnlyTheSourceThatNeedsAGrant() throws Exception {
    Change change = new Change(List.of(Change.Item.install(TinyBundles.copyTo(TinyBundles.WANTS_DOCKER, dir).toString()),
        Change.Item.install(TinyBundles.copyTo(TinyBundles.GOOD_1, dir).toString())), Change.Scope.GIVEN,
        Set.of(Change.Option.PARTIAL), "deploy");
    var outcome = installer.execute(change);
    assertEquals(1, outcome.refused().size(), outcome.refused()::toString);
    assertTrue(outcome.refused().get(0).reason().contains("security:grant " + WANTS_DOCKER + " docker: the deploy"
        + " folder then installs it"), outcome.refused().get(0).reason());
    assertTrue(plugins.find("io.dockevos.test.good").isPresent(), "the other source was installed");
    assertTrue(plugins.find(WANTS_DOCKER).isEmpty(), "the one that needs a grant was not");
    assertEquals(AuditEntry.Decision.DENIED, audit(WANTS_DOCKER).get(0).decision());
    assertEquals("runtime", audit(WANTS_DOCKER).get(0).by());
  }

  @Test
  void publishingOnDockevosTopicsNeedsTheGrantOthersDoNot() throws Exception {
    Bundle b = installRaw(TinyBundles.GOOD_1);
    ServiceReference<?>[] visible = b.getBundleContext().getServiceReferences(EventAdmin.class.getName(), null);
    assertEquals(1, visible.length, () -> Arrays.toString(visible));
    assertNotNull(visible[0].getProperty("dockevos.security.guard"), "a plugin gets the guarded Event Admin only");
    assertNull(context.getServiceReference(EventAdmin.class).getProperty("dockevos.security.guard"),
        "the runtime's own bundles get the real one");
    try (Events seen = new Events(context, "dockevos/test/*", "acme/test/*")) {
      SecurityException e = assertThrows(SecurityException.class,
          () -> publish(b, new Event("dockevos/test/PING", java.util.Map.of())));
      assertTrue(e.getMessage().contains("events.publish"), e.getMessage());
      publish(b, new Event("acme/test/PING", java.util.Map.of()));
      assertEquals(1, seen.of("acme/test/PING").size(), "a topic of its own needs no grant");

      permissions.grant("io.dockevos.test.good", List.of(Permission.parse("events.publish:dockevos/test/*")), "tester",
          "security:grant");
      publish(b, new Event("dockevos/test/PING", java.util.Map.of()));
      assertEquals(1, seen.of("dockevos/test/PING").size(), "granted: delivered");
    }
  }

  /**
   * The framework's own context (what an embedding program uses) meets the guards, since find hooks
   * are not called for the system bundle: it may still publish on dockevos/ topics and use any
   * configuration.
   */
  @Test
  void theFrameworkItselfIsNeverRestricted() throws Exception {
    BundleContext system = context.getBundle(0).getBundleContext();
    ServiceReference<?>[] admins = system.getServiceReferences(EventAdmin.class.getName(), null);
    try (Events seen = new Events(context, "dockevos/test/*")) {
      for (ServiceReference<?> ref : admins) {
        try {
          ((EventAdmin) system.getService(ref)).sendEvent(new Event("dockevos/test/FRAMEWORK", java.util.Map.of()));
        } finally {
          system.ungetService(ref);
        }
      }
      assertEquals(admins.length, seen.of("dockevos/test/FRAMEWORK").size(), "every Event Admin it sees delivers");
    }
    for (ServiceReference<?> ref : system.getServiceReferences(ConfigurationAdmin.class.getName(), null)) {
      try {
        assertNotNull(((ConfigurationAdmin) system.getService(ref)).getConfiguration("dockevos.security", "?"));
      } finally {
        system.ungetService(ref);
      }
    }
  }

  /** Publishes an event synchronously through the Event Admin the plugin's own context gets. */
  private static void publish(Bundle b, Event event) {
    BundleContext plugin = b.getBundleContext();
    ServiceReference<EventAdmin> ref = plugin.getServiceReference(EventAdmin.class);
    try {
      plugin.getService(ref).sendEvent(event);
    } finally {
      plugin.ungetService(ref);
    }
  }

  @Test
  void configurationAdminIsScopedToTheGrantedPids() throws Exception {
    Bundle b = installRaw(TinyBundles.GOOD_1);
    ServiceReference<ConfigurationAdmin> without = b.getBundleContext().getServiceReference(ConfigurationAdmin.class);
    assertNotNull(without.getProperty("dockevos.security.guard"), "no config: grant: the scoped Config Admin");
    ConfigurationAdmin none = b.getBundleContext().getService(without);
    try {
      assertThrows(SecurityException.class, () -> none.getConfiguration("dockevos.security", "?"), "no other PID");
      assertNull(none.listConfigurations(null), "it lists no configuration that is not its own");
    } finally {
      b.getBundleContext().ungetService(without);
    }

    permissions.grant("io.dockevos.test.good", List.of(Permission.parse("config:io.dockevos.test.scoped.*")), "tester",
        "security:grant");
    BundleContext plugin = b.getBundleContext(); // restarted with the grant: a new context
    ServiceReference<?>[] visible = plugin.getServiceReferences(ConfigurationAdmin.class.getName(), null);
    assertEquals(1, visible.length, () -> Arrays.toString(visible));
    assertNotNull(visible[0].getProperty("dockevos.security.guard"), "granted: the scoped Config Admin, not the real one");
    ServiceReference<ConfigurationAdmin> ref = plugin.getServiceReference(ConfigurationAdmin.class);
    ConfigurationAdmin admin = plugin.getService(ref);
    try {
      Configuration c = admin.getConfiguration("io.dockevos.test.scoped.a", "?");
      c.update(new java.util.Hashtable<>(java.util.Map.of("k", "v")));
      SecurityException e = assertThrows(SecurityException.class, () -> admin.getConfiguration("dockevos.security", "?"));
      assertTrue(e.getMessage().contains("config:"), e.getMessage());
      Configuration[] seen = admin.listConfigurations(null);
      assertTrue(seen != null && Arrays.stream(seen).allMatch(x -> x.getPid().startsWith("io.dockevos.test.scoped.")),
          () -> "only its own PIDs are listed: " + Arrays.toString(seen));
      c.delete();
    } finally {
      plugin.ungetService(ref);
    }
  }

  @Test
  void theShellAndThePermissionsServiceAreHiddenFromPluginsWithoutAdmin() throws Exception {
    Bundle b = installRaw(TinyBundles.GOOD_1);
    BundleContext plugin = b.getBundleContext();
    assertNull(plugin.getServiceReference(Permissions.class), "a plugin cannot grant itself");
    assertNull(plugin.getServiceReference("org.apache.felix.service.command.CommandProcessor"),
        "nor run security:grant through the shell");
    assertNull(plugin.getServiceReferences((String) null, "(osgi.command.scope=security)"),
        "nor call the runtime's command services");
    assertNull(plugin.getServiceReference(PluginManager.class), "nor manage plugins");
    assertNotNull(context.getServiceReference(Permissions.class));
    assertFalse(permissions.granted("io.dockevos.test.good").contains(Permission.of(Permission.Kind.ADMIN)));
  }
}
