package io.dockevos.webconsole.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PasswordStoreTest {
  @TempDir
  Path dir;

  @Test
  void aFirstStartMakesAPasswordKeptOnlyAsAPbkdf2HashInAnOwnerOnlyFile() throws Exception {
    Path file = dir.resolve("data/webconsole/password.json");
    PasswordStore store = new PasswordStore(file);
    String kept = Files.readString(file);
    assertTrue(kept.contains("\"algorithm\": \"PBKDF2WithHmacSHA256\"") && kept.contains("\"salt\""), kept);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
    String password = store.reset();
    assertTrue(password.matches("[a-km-zA-HJ-NP-Z2-9]{20}"), password);
    assertFalse(Files.readString(file).contains(password));
    assertTrue(store.check("admin", password));
    assertFalse(store.check("admin", "admin"), "no admin/admin");
    assertFalse(store.check("root", password), "the user is admin");
    assertFalse(store.check("admin", password + "x"));
    assertFalse(store.check("admin", ""));
    assertFalse(store.check(null, null));
  }

  @Test
  void theHashSurvivesARestartAndAResetEndsTheOldPassword() {
    Path file = dir.resolve("password.json");
    PasswordStore first = new PasswordStore(file);
    String old = first.reset();
    long generation = first.generation();
    PasswordStore again = new PasswordStore(file);
    assertTrue(again.check("admin", old), "read back after a restart");
    String fresh = again.reset();
    assertNotEquals(old, fresh);
    assertFalse(again.check("admin", old));
    assertTrue(again.check("admin", fresh));
    assertNotEquals(generation, again.generation());
  }

  @Test
  void aFileThatCannotBeReadIsKeptAsideAndANewPasswordIsMade() throws Exception {
    Path file = dir.resolve("password.json");
    Files.writeString(file, "{ not json");
    PasswordStore store = new PasswordStore(file);
    assertEquals("{ not json", Files.readString(dir.resolve("password.json.broken")));
    assertTrue(Files.readString(file).contains("PBKDF2WithHmacSHA256"));
    assertFalse(store.check("admin", "{ not json"));
  }
}
