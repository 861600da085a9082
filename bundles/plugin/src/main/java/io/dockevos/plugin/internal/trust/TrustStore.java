package io.dockevos.plugin.internal.trust;

import io.dockevos.common.internal.AtomicFiles;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The trusted certificates: a PKCS12 file ({@code etc/trust.p12}) of trusted-certificate entries,
 * which {@code keytool} can read and write too. It is read again when the file changes, and written
 * whole into place (owner read and write only), so that a kill leaves the old file or the new.
 *
 * <p>It holds public certificates only; its password guards the file's integrity check, not a
 * secret, so a fixed default that the documentation names is enough.
 */
public final class TrustStore {
  /** The permissions of the file: owner read and write (0600). */
  static final Set<PosixFilePermission> MODE = Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

  /** One trusted certificate. */
  public record Entry(String alias, X509Certificate certificate) {
    public String subject() {
      return certificate.getSubjectX500Principal().getName();
    }

    public String fingerprint() {
      return Certificates.fingerprint(certificate);
    }

    public Instant notBefore() {
      return certificate.getNotBefore().toInstant();
    }

    public Instant notAfter() {
      return certificate.getNotAfter().toInstant();
    }
  }

  /** What the file held when it was last read; {@code problem} says why it could not be. */
  private record Snapshot(long modified, long size, List<Entry> entries, String problem, long generation) {}

  private final Path file;
  private final char[] password;
  private Snapshot snapshot;
  /** One count for every store: a store made for a new configuration never repeats another's generation. */
  private static final java.util.concurrent.atomic.AtomicLong GENERATIONS = new java.util.concurrent.atomic.AtomicLong();

  public TrustStore(Path file, String password) {
    this.file = file;
    this.password = password.toCharArray();
  }

  public Path file() {
    return file;
  }

  /** @return the trusted certificates, by alias */
  public synchronized List<Entry> entries() {
    return current().entries();
  }

  public List<X509Certificate> certificates() {
    return entries().stream().map(Entry::certificate).toList();
  }

  /** @return why the file cannot be read (it is then taken as empty), or {@code null} */
  public synchronized String problem() {
    return current().problem();
  }

  /** @return a number that changes each time the file is read anew: levels computed before are stale */
  public synchronized long generation() {
    return current().generation();
  }

  /**
   * Trusts a certificate.
   *
   * @param alias its alias, or {@code null} to make one from its subject's common name
   * @throws IllegalArgumentException when the alias is taken or not valid, or the certificate is trusted already
   * @throws IOException when the file cannot be read or written; it is left as it was
   */
  public synchronized Entry add(String alias, X509Certificate certificate) throws IOException {
    Snapshot now = readable();
    String fingerprint = Certificates.fingerprint(certificate);
    for (Entry e : now.entries()) {
      if (e.fingerprint().equals(fingerprint)) {
        throw new IllegalArgumentException("The certificate " + e.subject() + " (SHA-256 " + fingerprint
            + ") is trusted already, as " + e.alias());
      }
    }
    String a;
    if (alias == null || alias.isBlank()) {
      a = freeAlias(now, defaultAlias(certificate));
    } else {
      a = alias.trim().toLowerCase(Locale.ROOT); // PKCS12 keeps aliases in lower case
      if (!a.matches("[a-z0-9][a-z0-9._-]*")) {
        throw new IllegalArgumentException("'" + alias + "' is not a valid alias: use letters, digits, '.', '_' and"
            + " '-', starting with a letter or digit");
      }
      if (now.entries().stream().anyMatch(e -> e.alias().equals(a))) {
        throw new IllegalArgumentException("The alias " + a + " is taken; trust:list shows the trusted certificates;"
            + " choose another with --alias");
      }
    }
    KeyStore ks = load(now);
    try {
      ks.setCertificateEntry(a, certificate);
    } catch (GeneralSecurityException e) {
      throw new IOException("Cannot add " + certificate.getSubjectX500Principal().getName() + " to " + file + ": "
          + e.getMessage(), e);
    }
    write(ks);
    return new Entry(a, certificate);
  }

  /**
   * Stops trusting a certificate.
   *
   * @param ref its alias, or its SHA-256 fingerprint (with or without colons)
   * @return what was removed
   * @throws IllegalArgumentException when no trusted certificate has that alias or fingerprint
   */
  public synchronized Entry remove(String ref) throws IOException {
    Snapshot now = readable();
    String r = ref == null ? "" : ref.trim();
    String fp = Certificates.normalFingerprint(r);
    Entry found = null;
    for (Entry e : now.entries()) {
      if (e.alias().equals(r.toLowerCase(Locale.ROOT)) || e.fingerprint().equals(fp)) {
        found = e;
      }
    }
    if (found == null) {
      throw new IllegalArgumentException("No trusted certificate has the alias or SHA-256 fingerprint '" + r
          + "'; trust:list shows them");
    }
    KeyStore ks = load(now);
    try {
      ks.deleteEntry(found.alias());
    } catch (GeneralSecurityException e) {
      throw new IOException("Cannot remove " + found.alias() + " from " + file + ": " + e.getMessage(), e);
    }
    write(ks);
    return found;
  }

  private Snapshot readable() throws IOException {
    Snapshot now = current();
    if (now.problem() != null) {
      throw new IOException("The trust store " + file + " cannot be read (" + now.problem() + "); it is left as it"
          + " is: fix it or move it away, then try again");
    }
    return now;
  }

  private KeyStore load(Snapshot now) throws IOException {
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, password);
      for (Entry e : now.entries()) {
        ks.setCertificateEntry(e.alias(), e.certificate());
      }
      return ks;
    } catch (GeneralSecurityException e) {
      throw new IOException("Cannot make a PKCS12 trust store: " + e.getMessage(), e);
    }
  }

  private void write(KeyStore ks) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ks.store(out, password);
    } catch (GeneralSecurityException e) {
      throw new IOException("Cannot write the trust store " + file + ": " + e.getMessage(), e);
    }
    AtomicFiles.write(file, out.toByteArray(), MODE);
    snapshot = null; // read again, as written
  }

  /** @return the snapshot of the file as it is now: read again when its time or size changed */
  private Snapshot current() {
    long modified;
    long size;
    try {
      modified = Files.isRegularFile(file) ? Files.getLastModifiedTime(file).toMillis() : -1;
      size = modified < 0 ? -1 : Files.size(file);
    } catch (IOException e) {
      modified = -2;
      size = -2;
    }
    Snapshot s = snapshot;
    if (s != null && s.modified() == modified && s.size() == size) {
      return s;
    }
    long generation = GENERATIONS.incrementAndGet();
    if (modified == -1) {
      s = new Snapshot(modified, size, List.of(), null, generation);
    } else {
      try {
        byte[] bytes = Files.readAllBytes(file);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(new ByteArrayInputStream(bytes), password);
        List<Entry> entries = new ArrayList<>();
        for (String alias : Collections.list(ks.aliases())) {
          Certificate c = ks.getCertificate(alias);
          if (ks.isCertificateEntry(alias) && c instanceof X509Certificate x) {
            entries.add(new Entry(alias, x));
          }
        }
        entries.sort(Comparator.comparing(Entry::alias));
        s = new Snapshot(modified, size, List.copyOf(entries), null, generation);
      } catch (IOException | GeneralSecurityException e) {
        String why = e.getCause() instanceof java.security.UnrecoverableKeyException
            ? "the password does not open it (trustStorePassword of configuration dockevos.trust)" : e.toString();
        s = new Snapshot(modified, size, List.of(), why, generation);
      }
    }
    snapshot = s;
    return s;
  }

  private static String defaultAlias(X509Certificate c) {
    String cn = null;
    try {
      for (javax.naming.ldap.Rdn rdn : new javax.naming.ldap.LdapName(c.getSubjectX500Principal().getName()).getRdns()) {
        if (rdn.getType().equalsIgnoreCase("CN")) {
          cn = String.valueOf(rdn.getValue());
        }
      }
    } catch (javax.naming.InvalidNameException e) {
      // no common name: the fingerprint's start names it
    }
    String a = cn == null ? "" : cn.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]+", "-")
        .replaceAll("^[^a-z0-9]+|-+$", "");
    return a.isEmpty() ? "cert-" + Certificates.fingerprint(c).replace(":", "").substring(0, 8).toLowerCase(Locale.ROOT)
        : a;
  }

  private static String freeAlias(Snapshot now, String wanted) {
    String a = wanted;
    for (int i = 2; true; i++) {
      String candidate = a;
      if (now.entries().stream().noneMatch(e -> e.alias().equals(candidate))) {
        return a;
      }
      a = wanted + "-" + i;
    }
  }
}
