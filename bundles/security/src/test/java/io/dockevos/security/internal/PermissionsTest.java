package io.dockevos.security.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dockevos.security.AuditEntry;
import io.dockevos.security.InvalidPermissionException;
import io.dockevos.security.Permission;
import io.dockevos.security.Permissions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The permissions' form, the grant store and the audit, on real files. */
class PermissionsTest {
  @TempDir
  Path dir;

  @Test
  void theHeaderParsesEachPermissionOnceInItsOrder() {
    List<Permission> p = Permission.parseHeader(" docker, config:com.acme.* ,events.publish:dockevos/acme/*,docker,"
        + " plugins.manage");
    assertEquals("docker, config:com.acme.*, events.publish:dockevos/acme/*, plugins.manage", Permission.join(p));
    assertEquals(List.of(), Permission.parseHeader(null));
    assertEquals(List.of(), Permission.parseHeader("  "));
  }

  @Test
  void aBadEntryIsNamedWithTheHeader() {
    InvalidPermissionException e = assertThrows(InvalidPermissionException.class,
        () -> Permission.parseHeader("docker, dokcer"));
    assertEquals(Permission.HEADER, e.header());
    assertEquals("dokcer", e.entry());
    assertTrue(e.getMessage().startsWith("Dockevos-Permissions: 'dokcer' is not a valid permission: 'dokcer' is not a"
        + " permission; a permission is one of docker"), e.getMessage());
    e = assertThrows(InvalidPermissionException.class, () -> Permission.parseHeader("config"));
    assertEquals("config", e.entry());
    assertTrue(e.reason().contains("needs a pattern"), e.reason());
    e = assertThrows(InvalidPermissionException.class, () -> Permission.parseHeader("docker:all"));
    assertTrue(e.reason().contains("takes no pattern"), e.reason());
  }

  @Test
  void adminAndPatternsImplyWhatTheyCover() {
    Permission admin = Permission.parse("admin");
    Permission acme = Permission.parse("config:com.acme.*");
    assertTrue(admin.implies(Permission.parse("docker")));
    assertTrue(acme.implies(Permission.parse("config:com.acme.greeter")));
    assertTrue(acme.implies(Permission.parse("config:com.acme.sub.*")));
    assertFalse(Permission.parse("config:com.acme.sub.*").implies(acme));
    assertFalse(acme.implies(Permission.parse("config:com.other")));
    assertFalse(Permission.parse("docker").implies(Permission.parse("runner")));
    assertTrue(Permission.parse("events.publish:dockevos/acme/*").allowsTopic("dockevos/acme/DONE"));
    assertFalse(Permission.parse("events.publish:dockevos/acme/*").allowsTopic("dockevos/plugin/INSTALLED"));
    assertTrue(acme.allowsConfiguration("com.acme.greeter"));
    assertFalse(acme.allowsConfiguration("dockevos.security"));
    assertEquals(List.of(Permission.parse("runner")),
        Permission.missing(List.of(Permission.parse("docker")),
            List.of(Permission.parse("docker"), Permission.parse("runner"))));
  }

  @Test
  void grantsAreKeptAcrossARestartInAFileOnlyItsOwnerReads() throws Exception {
    PermissionsImpl p = new PermissionsImpl(dir.resolve("security"));
    p.grant("com.acme.x", List.of(Permission.parse("docker"), Permission.parse("config:com.acme.*")), "alice (console)",
        "plugin:install --grant");
    p.grant("com.acme.x", List.of(Permission.parse("docker"), Permission.parse("runner")), "bob (client)",
        "security:grant");

    PermissionsImpl again = new PermissionsImpl(dir.resolve("security"));
    assertEquals("docker, config:com.acme.*, runner", Permission.join(again.granted("com.acme.x")));
    assertEquals(2, again.grants("com.acme.x").size());
    assertEquals("runner", Permission.join(again.grants("com.acme.x").get(1).permissions()),
        "the second grant records only what it added");
    assertEquals("bob (client)", again.grants("com.acme.x").get(1).by());
    if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
          dir.resolve("security/grants.json"))));
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
          dir.resolve("security/audit.jsonl"))));
      assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("security"))));
    }
  }

  @Test
  void grantDenyAndRevokeAreAuditedAndARepeatedDenialOnce() throws Exception {
    PermissionsImpl p = new PermissionsImpl(dir);
    p.deny("com.acme.x", List.of(Permission.parse("docker")), null, "deploy", "not granted");
    p.deny("com.acme.x", List.of(Permission.parse("docker")), null, "deploy", "not granted");
    p.grant("com.acme.x", List.of(Permission.parse("docker"), Permission.parse("runner")), "alice (console)",
        "security:grant");
    assertEquals(List.of(Permission.parse("runner")),
        p.revoke("com.acme.x", List.of(Permission.parse("runner")), "alice (console)", "security:revoke", null));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> p.revoke("com.acme.x", List.of(Permission.parse("network")), "alice", "security:revoke", null));
    assertTrue(e.getMessage().contains("holds no grant of network; it holds docker"), e.getMessage());
    p.revoke("com.acme.x", List.of(), "alice (console)", "security:revoke", null);
    assertEquals(List.of(), p.granted("com.acme.x"));

    List<AuditEntry> audit = new PermissionsImpl(dir).audit();
    assertEquals(List.of(AuditEntry.Decision.DENIED, AuditEntry.Decision.GRANTED, AuditEntry.Decision.REVOKED,
        AuditEntry.Decision.REVOKED), audit.stream().map(AuditEntry::decision).toList());
    assertEquals("docker", Permission.join(audit.get(3).permissions()));
    assertEquals("deploy", audit.get(0).origin());
  }

  @Test
  void aLineCutShortByAKillIsLeftOut() throws Exception {
    PermissionsImpl p = new PermissionsImpl(dir);
    p.grant("com.acme.x", List.of(Permission.parse("docker")), "alice", "security:grant");
    Files.writeString(dir.resolve("audit.jsonl"), "{\"time\":12,\"plug", StandardCharsets.UTF_8,
        StandardOpenOption.APPEND);
    assertEquals(1, new PermissionsImpl(dir).audit().size());
  }

  @Test
  void aDamagedGrantsFileIsKeptAsideAndNothingIsHeld() throws Exception {
    Files.writeString(dir.resolve("grants.json"), "{ not json");
    PermissionsImpl p = new PermissionsImpl(dir);
    assertEquals(List.of(), p.granted("com.acme.x"));
    assertTrue(Files.exists(dir.resolve("grants.json.broken")));
  }

  @Test
  void aProvisionalHoldCountsUntilClosedAndIsNeverRecorded() {
    PermissionsImpl p = new PermissionsImpl(dir);
    try (Permissions.Provisional h = p.provisional("com.acme.x", List.of(Permission.parse("docker")))) {
      assertEquals("docker", Permission.join(p.granted("com.acme.x")));
      assertEquals(List.of(), p.grants("com.acme.x"));
    }
    assertEquals(List.of(), p.granted("com.acme.x"));
    assertEquals(List.of(), p.audit());
  }

  @Test
  void thePolicyGrantsTheRuntimesOwnRepositoryAndNothingElseByDefault() {
    PermissionsImpl p = new PermissionsImpl(dir);
    assertEquals(Optional.of("policy:grantSystem"), p.autoGrant(Permissions.UNSIGNED, true));
    assertEquals(Optional.empty(), p.autoGrant(Permissions.TRUSTED, false));
  }
}
