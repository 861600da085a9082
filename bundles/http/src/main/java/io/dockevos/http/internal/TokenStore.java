package io.dockevos.http.internal;

import io.dockevos.common.internal.AtomicFiles;
import io.dockevos.common.internal.Json;
import io.dockevos.http.HttpEvents;
import io.dockevos.http.Token;
import io.dockevos.http.TokenScope;
import io.dockevos.http.Tokens;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tokens in {@code data/http/tokens.json} (mode 0600, replaced atomically on each change). A
 * secret is {@code dkv_} and 32 random bytes in base64url; only its SHA-256 is kept, and a secret is
 * compared by its hash in constant time. A file that cannot be read is kept aside as {@code
 * .broken}: every token is then refused (the safe side) until new ones are made.
 */
@Component(service = Tokens.class)
public final class TokenStore implements Tokens {
  private static final Logger LOG = LoggerFactory.getLogger(TokenStore.class);
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  static final String PREFIX = "dkv_";

  private record Entry(Token token, byte[] hash) {}

  private final Path file;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, Entry> tokens = new LinkedHashMap<>();
  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
  private volatile EventAdmin events;

  @Activate
  public TokenStore(BundleContext context) {
    this(Path.of(context.getProperty("dockevos.data")).resolve("http/tokens.json"));
  }

  TokenStore(Path file) {
    this.file = file;
    load();
  }

  @Override
  public synchronized Created create(String name, TokenScope scope) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("'" + name + "' is not a token name: use 1 to 64 letters, digits, '.', '_' or '-'");
    }
    if (tokens.containsKey(name)) {
      throw new IllegalArgumentException("a token named " + name + " exists already: revoke it first (token:revoke "
          + name + "), or choose another name");
    }
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    String secret = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    Token token = new Token(name, scope, Instant.now(), null);
    tokens.put(name, new Entry(token, hash(secret)));
    save();
    publish(HttpEvents.TOKEN_CREATED, token);
    return new Created(token, secret);
  }

  @Override
  public synchronized List<Token> list() {
    return tokens.values().stream().map(Entry::token).toList();
  }

  @Override
  public synchronized boolean revoke(String name) {
    Entry gone = tokens.remove(name);
    if (gone == null) {
      return false;
    }
    save();
    publish(HttpEvents.TOKEN_REVOKED, gone.token());
    return true;
  }

  @Override
  public Optional<Token> authenticate(String secret) {
    if (secret == null || !secret.startsWith(PREFIX)) {
      return Optional.empty();
    }
    byte[] h = hash(secret);
    synchronized (this) {
      for (Entry e : tokens.values()) {
        if (MessageDigest.isEqual(e.hash(), h)) {
          Token used = new Token(e.token().name(), e.token().scope(), e.token().created(), Instant.now());
          tokens.put(used.name(), new Entry(used, e.hash())); // in memory: a request writes no file
          return Optional.of(used);
        }
      }
    }
    return Optional.empty();
  }

  static byte[] hash(String secret) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private void publish(String topic, Token t) {
    EventAdmin ea = events;
    if (ea != null) {
      ea.postEvent(new Event(topic, Map.of(HttpEvents.TOKEN, t.name(), HttpEvents.SCOPE, t.scope().word())));
    }
  }

  private void load() {
    if (!Files.isRegularFile(file)) {
      return;
    }
    try (InputStream in = Files.newInputStream(file)) {
      for (JsonValue v : Json.read(in).getJsonArray("tokens")) {
        JsonObject o = v.asJsonObject();
        Token t = new Token(o.getString("name"), TokenScope.of(o.getString("scope")),
            Instant.parse(o.getString("created")), null);
        tokens.put(t.name(), new Entry(t, HexFormat.of().parseHex(o.getString("sha256"))));
      }
    } catch (IOException | RuntimeException e) {
      tokens.clear();
      Path broken = file.resolveSibling(file.getFileName() + ".broken");
      LOG.error("The HTTP tokens {} cannot be read ({}); kept as {}. Every token is refused until new ones are made"
          + " (token:create)", file, e.getMessage(), broken);
      try {
        Files.move(file, broken, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException moved) {
        LOG.error("{} cannot be moved aside: {}", file, moved.toString());
      }
    }
  }

  private void save() {
    List<Map<String, Object>> all = new ArrayList<>();
    for (Entry e : tokens.values()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", e.token().name());
      m.put("scope", e.token().scope().word());
      m.put("created", e.token().created().toString());
      m.put("sha256", HexFormat.of().formatHex(e.hash()));
      all.add(m);
    }
    try {
      AtomicFiles.write(file, (Json.pretty(Map.of("tokens", all)) + "\n").getBytes(StandardCharsets.UTF_8), true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
