package io.dockevos.plugin.internal.trust;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import jdk.security.jarsigner.JarSigner;

/**
 * Keys made by the JDK's keytool for the test (a PKCS12 keystore each), jars signed with the JDK's
 * {@link JarSigner}, and jars changed after signing, as an attacker would.
 */
public final class TestKeys {
  static final char[] PASSWORD = "test-pass".toCharArray();
  private final Path dir;

  TestKeys(Path dir) {
    this.dir = dir;
  }

  /** The keys every test class shares (keytool takes seconds for each): made once, deleted when the JVM ends. */
  public static final class Shared {
    public static final TestKeys KEYS;
    /** Self-signed: Alice and Bob. */
    public static final Path ALICE;
    public static final Path BOB;
    /** A certificate authority, and Carol's key that it issued, in one keystore. */
    public static final Path AUTHORITY;

    static {
      try {
        Path dir = Files.createTempDirectory("dockevos-test-keys-");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
          try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
          } catch (IOException ignored) {
            // a temporary folder
          }
        }));
        KEYS = new TestKeys(dir);
        ALICE = KEYS.selfSigned("alice", "CN=Alice,O=Example");
        BOB = KEYS.selfSigned("bob", "CN=Bob,O=Example");
        AUTHORITY = KEYS.authority("ca", "CN=Example CA,O=Example");
        KEYS.issuedBy("carol", "CN=Carol,O=Example", AUTHORITY, "ca");
      } catch (Exception e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    private Shared() {}
  }

  /** @return keys of the shared ones, making jars in {@code dir} */
  public static TestKeys in(Path dir) {
    return new TestKeys(dir);
  }

  /** A key pair with a self-signed certificate. */
  Path selfSigned(String alias, String dname) throws Exception {
    Path store = dir.resolve(alias + ".p12");
    keytool("-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", dname,
        "-validity", "30", "-keystore", store.toString());
    return store;
  }

  /** A certificate authority's key pair (basic constraints: CA). */
  public Path authority(String alias, String dname) throws Exception {
    Path store = dir.resolve(alias + ".p12");
    keytool("-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", dname,
        "-validity", "30", "-ext", "bc:c", "-keystore", store.toString());
    return store;
  }

  /**
   * A key pair whose certificate the authority issued, its chain holding both; it is kept in the
   * authority's keystore (keytool's {@code -signer} takes the signer from the same keystore).
   */
  Path issuedBy(String alias, String dname, Path authority, String authorityAlias) throws Exception {
    keytool("-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", dname,
        "-validity", "30", "-keystore", authority.toString(), "-signer", authorityAlias, "-signerkeypass",
        new String(PASSWORD));
    return authority;
  }

  private static void keytool(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
    command.addAll(List.of(args));
    command.addAll(List.of("-storetype", "PKCS12", "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD)));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException("keytool failed: " + out);
    }
  }

  public static KeyStore.PrivateKeyEntry key(Path store, String alias) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      ks.load(in, PASSWORD);
    }
    return (KeyStore.PrivateKeyEntry) ks.getEntry(alias, new KeyStore.PasswordProtection(PASSWORD));
  }

  public static X509Certificate certificate(Path store, String alias) throws Exception {
    return (X509Certificate) key(store, alias).getCertificate();
  }

  /** An OSGi bundle jar with a class and a text entry, in a folder. */
  public Path bundle(String name) throws IOException {
    Manifest mf = new Manifest();
    Attributes a = mf.getMainAttributes();
    a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
    a.putValue("Bundle-ManifestVersion", "2");
    a.putValue("Bundle-SymbolicName", name);
    a.putValue("Bundle-Version", "1.0.0");
    Path jar = dir.resolve(name + ".jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), mf)) {
      out.putNextEntry(new JarEntry("x/"));
      out.closeEntry();
      out.putNextEntry(new JarEntry("x/Thing.class"));
      out.write(new byte[] {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE, 0, 0, 0, 61});
      out.closeEntry();
      out.putNextEntry(new JarEntry("x/notes.txt"));
      out.write("hello".getBytes(StandardCharsets.UTF_8));
      out.closeEntry();
    }
    return jar;
  }

  /** Signs {@code jar} with the key of {@code store} into a new file; the signature files are named after the alias. */
  public Path sign(Path jar, Path store, String alias) throws Exception {
    Path signed = dir.resolve(jar.getFileName().toString().replace(".jar", "") + "+" + alias + ".jar");
    JarSigner signer = new JarSigner.Builder(key(store, alias)).signerName(alias.toUpperCase()).build();
    try (ZipFile in = new ZipFile(jar.toFile()); OutputStream out = Files.newOutputStream(signed)) {
      signer.sign(in, out);
    }
    return signed;
  }

  /**
   * Copies a jar entry by entry: {@code change} gets each entry's name and bytes and returns new
   * bytes, or {@code null} to leave it out; {@code added} entries come at the end.
   */
  public Path rewrite(Path jar, String suffix, java.util.function.BiFunction<String, byte[], byte[]> change,
      Map<String, byte[]> added) throws IOException {
    Path out = dir.resolve(jar.getFileName().toString().replace(".jar", "") + "-" + suffix + ".jar");
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(jar));
        ZipOutputStream zout = new ZipOutputStream(Files.newOutputStream(out))) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        byte[] bytes = in.readAllBytes();
        byte[] now = change.apply(e.getName(), bytes);
        if (now != null) {
          zout.putNextEntry(new ZipEntry(e.getName()));
          zout.write(now);
          zout.closeEntry();
        }
      }
      for (Map.Entry<String, byte[]> e : added.entrySet()) {
        zout.putNextEntry(new ZipEntry(e.getKey()));
        zout.write(e.getValue());
        zout.closeEntry();
      }
    }
    return out;
  }

  /** Replaces one entry's bytes. */
  public Path replace(Path jar, String entry, UnaryOperator<byte[]> bytes) throws IOException {
    return rewrite(jar, "changed", (n, b) -> n.equals(entry) ? bytes.apply(b) : b, Map.of());
  }

  public static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  public static byte[] concat(byte[] a, byte[] b) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(a);
    out.writeBytes(b);
    return out.toByteArray();
  }
}
