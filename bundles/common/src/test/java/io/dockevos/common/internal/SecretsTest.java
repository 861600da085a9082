package io.dockevos.common.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretsTest {
  private static final String M = Secrets.MASK;

  @Test
  void keysNamedLikeASecret() {
    for (String k : List.of("password", "db.password", "PASSWD", "passphrase", "clientSecret", "token", "access_token",
        "apiKey", "api_key", "api-key", "api.key", "credentials", "privateKey")) {
      assertTrue(Secrets.secretKey(k), k);
    }
    for (String k : List.of("url", "model", "colour", "event.topic", "reference.interface", "keystore", "timeout")) {
      assertFalse(Secrets.secretKey(k), k);
    }
  }

  @Test
  void theUserOfAUrlStaysItsPasswordGoes() {
    assertEquals("plugin:install http://bob:" + M + "@127.0.0.1:8080/x.jar",
        Secrets.redact("plugin:install http://bob:hunter2@127.0.0.1:8080/x.jar"));
    assertEquals("repositories = central=https://u:" + M + "@repo.example.org/m2, other=https://repo.example.org",
        Secrets.redact("repositories = central=https://u:p%40ss@repo.example.org/m2, other=https://repo.example.org"));
    assertEquals("ssh://git@host/repo and https://host:8443/x", Secrets.redact("ssh://git@host/repo and https://host:8443/x"));
  }

  @Test
  void secretLookingArgumentsAndAssignments() {
    assertEquals("echo --token " + M + " password=" + M + " --name x",
        Secrets.redact("echo --token abc123 password=s3cr3t --name x"));
    assertEquals("login --api-key=" + M, Secrets.redact("login --api-key=k-1"));
    assertEquals("{\"apiKey\": \"" + M + "\", \"model\": \"m\"}", Secrets.redact("{\"apiKey\": \"sk-1\", \"model\": \"m\"}"));
    assertEquals("db.password: " + M + "\nurl: x", Secrets.redact("db.password: pw\nurl: x"));
    assertEquals("Authorization: Bearer " + M, Secrets.redact("Authorization: Bearer abcdef123456"));
    assertEquals("Authorization: Basic " + M, Secrets.redact("Authorization: Basic dXNlcjpwYXNz"));
  }

  @Test
  void textWithoutSecretsIsLeftAsItIs() {
    for (String t : List.of("Cannot install /tmp/x.jar: it is not a jar", "the basic configuration",
        "(&(osgi.wiring.package=io.x.token)(version>=1.0.0))", "Unexpected token: END_OBJECT at line 3",
        "java.lang.IllegalStateException: broken\n\tat io.x.Token.run(Token.java:12)", "user@example.org wrote")) {
      assertSame(t, Secrets.redact(t), t);
    }
  }

  @Test
  void valuesOfSecretKeysAndPasswordAttributes() {
    assertEquals(M, Secrets.value("token", "t"));
    assertEquals("https://a:" + M + "@h/", Secrets.value("endpoint", "https://a:b@h/"));
    assertEquals(M, Secrets.value("anything", (Object) "x", true));
    assertEquals(7, Secrets.value("timeout", (Object) 7, false));
    assertArrayEquals(new Object[] {M, M}, (Object[]) Secrets.value("tokens", new String[] {"a", "b"}, false));
    assertArrayEquals(new Object[] {"https://a:" + M + "@h"}, (Object[]) Secrets.value("urls", List.of("https://a:b@h"),
        false));
    Map<String, String> props = new LinkedHashMap<>(Map.of("message", "no secret"));
    assertSame(props, Secrets.redact(props), "unchanged: the same map");
    props.put("plugin.source", "http://u:p@h/x.jar");
    props.put("api.key", "k");
    assertEquals(Map.of("message", "no secret", "plugin.source", "http://u:" + M + "@h/x.jar", "api.key", M),
        Secrets.redact(props));
  }
}
