package io.dockevos.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dockevos.http.TokenScope;
import io.dockevos.http.Tokens;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The token file: what it keeps, what survives a restart, and what a damaged one does. */
class TokenStoreTest {
  @TempDir Path dir;

  @Test
  void aTokenIsKeptHashedAndOpensUntilRevoked() throws Exception {
    Path file = dir.resolve("http/tokens.json");
    Tokens.Created c = new TokenStore(file).create("ci", TokenScope.ADMIN);
    assertFalse(Files.readString(file).contains(c.secret().substring(4)), "no secret in the file");
    TokenStore again = new TokenStore(file); // as after a restart
    assertEquals(TokenScope.ADMIN, again.authenticate(c.secret()).orElseThrow().scope());
    assertTrue(again.authenticate(c.secret() + "x").isEmpty(), "another secret");
    assertTrue(again.authenticate(null).isEmpty() && again.authenticate("").isEmpty());
    assertTrue(again.revoke("ci"));
    assertTrue(new TokenStore(file).authenticate(c.secret()).isEmpty(), "revoked for good");
  }

  @Test
  void namesAreUniqueAndPlain() {
    TokenStore store = new TokenStore(dir.resolve("tokens.json"));
    store.create("ci", TokenScope.READ);
    assertTrue(assertThrows(IllegalArgumentException.class, () -> store.create("ci", TokenScope.READ)).getMessage()
        .contains("a token named ci exists already"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> store.create("a b", TokenScope.READ)).getMessage()
        .contains("'a b' is not a token name"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> TokenScope.of("root")).getMessage()
        .contains("'root' is not a token scope: read or admin"));
  }

  @Test
  void aDamagedFileIsKeptAsideAndEveryTokenIsRefused() throws Exception {
    Path file = dir.resolve("tokens.json");
    Tokens.Created c = new TokenStore(file).create("ci", TokenScope.READ);
    Files.writeString(file, "{\"tokens\": [ {\"name\": \"ci\", ");
    TokenStore store = new TokenStore(file);
    assertTrue(store.list().isEmpty());
    assertTrue(store.authenticate(c.secret()).isEmpty());
    assertTrue(Files.exists(dir.resolve("tokens.json.broken")), "kept for the user to look at");
    store.create("new", TokenScope.READ);
    assertEquals(1, new TokenStore(file).list().size(), "new tokens work");
  }
}
