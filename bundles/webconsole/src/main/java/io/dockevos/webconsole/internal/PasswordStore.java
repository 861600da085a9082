package io.dockevos.webconsole.internal;

import io.dockevos.common.internal.AtomicFiles;
import io.dockevos.common.internal.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Web Console's one user, {@value #USER}, and its password: generated at the first start, shown
 * once (a WARN line in the log), and kept only as a PBKDF2 hash (HMAC-SHA256, a random salt) in {@code
 * data/webconsole/password.json}, mode 0600. There is no default password. {@link #reset()} makes a new
 * one ({@code webconsole:password}, {@code bin/dockevos webconsole-password}).
 */
@Component(service = PasswordStore.class)
public final class PasswordStore {
  private static final Logger LOG = LoggerFactory.getLogger(PasswordStore.class);
  /** The console's user name. */
  static final String USER = "admin";
  static final String ALGORITHM = "PBKDF2WithHmacSHA256";
  static final int ITERATIONS = 120_000;
  private static final int BITS = 256;
  /** Letters and digits that cannot be mistaken for each other (no 0/O, 1/l/I). */
  private static final char[] ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789".toCharArray();
  private static final int LENGTH = 20;

  private record Hash(byte[] salt, int iterations, byte[] hash) {}

  private final Path file;
  private final SecureRandom random = new SecureRandom();
  private final Object checking = new Object();
  private Hash current;
  /** Counts the resets, so that sessions opened with an older password end. */
  private volatile long generation;

  @Activate
  public PasswordStore(BundleContext context) {
    this(Path.of(context.getProperty("dockevos.data")).resolve("webconsole/password.json"));
  }

  PasswordStore(Path file) {
    this.file = file;
    load();
    if (current == null) {
      String first = reset();
      LOG.warn("The Web Console's user {} has a new generated password, shown this once: {} (it is kept hashed in {};"
          + " bin/dockevos webconsole-password makes a new one)", USER, first, file);
    }
  }

  /** Makes a new password, keeps its hash, and returns it: it is not kept anywhere else. */
  public synchronized String reset() {
    char[] chars = new char[LENGTH];
    for (int i = 0; i < LENGTH; i++) {
      chars[i] = ALPHABET[random.nextInt(ALPHABET.length)];
    }
    String password = new String(chars);
    byte[] salt = new byte[16];
    random.nextBytes(salt);
    Hash h = new Hash(salt, ITERATIONS, pbkdf2(password, salt, ITERATIONS));
    save(h);
    current = h;
    generation++;
    return password;
  }

  /** @return whether the user and password are the console's, compared in constant time */
  public boolean check(String user, String password) {
    Hash h;
    synchronized (this) {
      h = current;
    }
    if (h == null || user == null || password == null || password.isEmpty() || password.length() > 1024) {
      return false;
    }
    byte[] sent;
    // One check at a time: a flood of logins costs one core at most, and each guess about 0.1 s.
    synchronized (checking) {
      sent = pbkdf2(password, h.salt(), h.iterations());
    }
    boolean ok = MessageDigest.isEqual(h.hash(), sent);
    return ok & MessageDigest.isEqual(USER.getBytes(StandardCharsets.UTF_8), user.getBytes(StandardCharsets.UTF_8));
  }

  /** @return a number that changes with each {@link #reset()} */
  long generation() {
    return generation;
  }

  Path file() {
    return file;
  }

  static byte[] pbkdf2(String password, byte[] salt, int iterations) {
    try {
      return SecretKeyFactory.getInstance(ALGORITHM)
          .generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, BITS)).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(ALGORITHM + " is not available in this JVM: " + e.getMessage(), e);
    }
  }

  private void load() {
    if (!Files.isRegularFile(file)) {
      return;
    }
    try (InputStream in = Files.newInputStream(file)) {
      JsonObject o = Json.read(in);
      if (!ALGORITHM.equals(o.getString("algorithm"))) {
        throw new IOException("the algorithm is " + o.getString("algorithm") + ", not " + ALGORITHM);
      }
      Base64.Decoder b64 = Base64.getDecoder();
      current = new Hash(b64.decode(o.getString("salt")), o.getInt("iterations"), b64.decode(o.getString("hash")));
    } catch (IOException | RuntimeException e) {
      Path broken = file.resolveSibling(file.getFileName() + ".broken");
      LOG.error("The Web Console's password file {} cannot be read ({}); kept as {}, and a new password is made",
          file, e.getMessage(), broken);
      try {
        Files.move(file, broken, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException moved) {
        LOG.error("{} cannot be moved aside: {}", file, moved.toString());
      }
      current = null;
    }
  }

  private void save(Hash h) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("user", USER);
    m.put("algorithm", ALGORITHM);
    m.put("iterations", h.iterations());
    m.put("salt", Base64.getEncoder().encodeToString(h.salt()));
    m.put("hash", Base64.getEncoder().encodeToString(h.hash()));
    m.put("changed", Instant.now().toString());
    try {
      AtomicFiles.write(file, (Json.pretty(m) + "\n").getBytes(StandardCharsets.UTF_8), true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
