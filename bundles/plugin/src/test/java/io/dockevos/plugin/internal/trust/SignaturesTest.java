package io.dockevos.plugin.internal.trust;

import static io.dockevos.plugin.internal.trust.TestKeys.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dockevos.plugin.TrustLevel;
import io.dockevos.plugin.internal.trust.Signatures.Verdict;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jars signed with the JDK's {@code jarsigner} (its API, {@code jdk.security.jarsigner}) by keys
 * made with {@code keytool}, then changed as an attacker would: each verdict as the install
 * pipeline gets it.
 */
class SignaturesTest {
  @TempDir
  static Path dir;
  static TestKeys keys;
  static Path alice;
  static Path bob;
  static Path authority;
  static Path issued;
  static Path plain;
  static Path byAlice;

  @BeforeAll
  static void makeKeys() throws Exception {
    keys = TestKeys.in(dir);
    alice = TestKeys.Shared.ALICE;
    bob = TestKeys.Shared.BOB;
    authority = TestKeys.Shared.AUTHORITY;
    issued = TestKeys.Shared.AUTHORITY;
    plain = keys.bundle("io.example.thing");
    byAlice = keys.sign(plain, alice, "alice");
  }

  private static X509Certificate cert(Path store, String alias) throws Exception {
    return TestKeys.certificate(store, alias);
  }

  @Test
  void anUnsignedJarIsUnsigned() throws Exception {
    Verdict v = Signatures.verify(plain, List.of(cert(alice, "alice")));
    assertEquals(TrustLevel.UNSIGNED, v.level());
    assertNull(v.signer());
    assertEquals("unsigned", v.describe());
  }

  @Test
  void aJarSignedByAnUnknownKeyIsSignedAndNamesItsSigner() throws Exception {
    Verdict v = Signatures.verify(byAlice, List.of(cert(bob, "bob")));
    assertEquals(TrustLevel.SIGNED, v.level(), v::describe);
    assertEquals("CN=Alice,O=Example", v.signer().subject());
    assertEquals(Certificates.fingerprint(cert(alice, "alice")), v.signer().fingerprint());
    assertTrue(v.describe().startsWith("signed (signed by CN=Alice,O=Example, SHA-256 "), v::describe);
    assertEquals(TrustLevel.SIGNED, Signatures.verify(byAlice, List.of()).level());
  }

  @Test
  void aJarSignedByATrustedKeyIsTrusted() throws Exception {
    assertEquals(TrustLevel.TRUSTED, Signatures.verify(byAlice, List.of(cert(bob, "bob"), cert(alice, "alice")))
        .level());
  }

  @Test
  void aSignerIssuedByATrustedAuthorityIsTrustedAndOnlyByThatAuthority() throws Exception {
    Path byCarol = keys.sign(plain, issued, "carol");
    Verdict v = Signatures.verify(byCarol, List.of(cert(authority, "ca")));
    assertEquals(TrustLevel.TRUSTED, v.level(), v::describe);
    assertEquals("CN=Carol,O=Example", v.signer().subject());
    assertEquals(TrustLevel.SIGNED, Signatures.verify(byCarol, List.of(cert(alice, "alice"))).level());
    // A certificate of the same name as the authority, but another key, does not make it trusted.
    Path impostor = keys.authority("impostor", "CN=Example CA,O=Example");
    assertEquals(TrustLevel.SIGNED, Signatures.verify(byCarol, List.of(cert(impostor, "impostor"))).level());
  }

  @Test
  void anEntryChangedAfterSigningIsRefusedNamingIt() throws Exception {
    Path changed = keys.replace(byAlice, "x/Thing.class", b -> TestKeys.concat(b, new byte[] {1}));
    Verdict v = Signatures.verify(changed, List.of(cert(alice, "alice")));
    assertTrue(v.broken(), v::describe);
    assertNull(v.level());
    assertEquals("the entry x/Thing.class was changed after signing (SHA-256 digest error for x/Thing.class)",
        v.problem());
  }

  @Test
  void anEntryAddedAfterSigningIsRefusedNamingIt() throws Exception {
    Path added = keys.rewrite(byAlice, "added", (n, b) -> b, Map.of("x/Evil.class", new byte[] {1, 2, 3}));
    Verdict v = Signatures.verify(added, List.of(cert(alice, "alice")));
    assertTrue(v.broken(), v::describe);
    assertEquals("the entry x/Evil.class is not signed: it was added after signing", v.problem());
  }

  @Test
  void anUnsignedEntryInMetaInfIsRefusedToo() throws Exception {
    Path added = keys.rewrite(byAlice, "services", (n, b) -> b,
        Map.of("META-INF/services/java.lang.Runnable", utf8("x.Evil\n")));
    Verdict v = Signatures.verify(added, List.of());
    assertTrue(v.broken() && v.problem().contains("META-INF/services/java.lang.Runnable"), v::describe);
  }

  @Test
  void anEntryTheSignatureNamesThatIsNotThereIsRefused() throws Exception {
    Path removed = keys.rewrite(byAlice, "removed", (n, b) -> n.equals("x/notes.txt") ? null : b, Map.of());
    Verdict v = Signatures.verify(removed, List.of(cert(alice, "alice")));
    assertTrue(v.broken(), v::describe);
    assertEquals("its signature names the entry x/notes.txt, which the jar does not hold: it was removed after"
        + " signing", v.problem());
  }

  @Test
  void aJarSignedByTwoSignersIsRefusedNamingBoth() throws Exception {
    Path twice = keys.sign(byAlice, bob, "bob");
    Verdict v = Signatures.verify(twice, List.of(cert(alice, "alice"), cert(bob, "bob")));
    assertTrue(v.broken(), v::describe);
    assertTrue(v.problem().contains("2 signers") && v.problem().contains("CN=Alice,O=Example")
        && v.problem().contains("CN=Bob,O=Example"), v::problem);
  }

  @Test
  void aManifestHeaderChangedAfterSigningIsRefused() throws Exception {
    // The OSGi headers decide what a bundle imports and exports: they are part of what is signed.
    Path changed = keys.replace(byAlice, "META-INF/MANIFEST.MF", b -> utf8(new String(b, StandardCharsets.UTF_8)
        .replace("Bundle-Version: 1.0.0", "Bundle-Version: 6.6.6")));
    Verdict v = Signatures.verify(changed, List.of(cert(alice, "alice")));
    assertTrue(v.broken() && v.problem().contains("Manifest main attributes"), v::describe);
  }

  @Test
  void aForgedSignatureIsRefused() throws Exception {
    // The attacker changes a class and writes its new digest into the manifest and the signature
    // file, but cannot sign the signature file again: the signature block no longer matches it.
    Path forged = forge(byAlice);
    Verdict v = Signatures.verify(forged, List.of(cert(alice, "alice")));
    assertTrue(v.broken() && v.problem().startsWith("its signature does not verify")
        && v.problem().contains("META-INF/ALICE"), v::describe);
  }

  @Test
  void aSignatureBlockFromAnotherSignerIsRefused() throws Exception {
    // Bob's signature block of another jar put in place of Alice's, over Alice's signature file.
    Path byBobAsAlice = keys.sign(keys.bundle("io.example.other"), bob, "bob");
    byte[] bobBlock;
    try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(byBobAsAlice.toFile())) {
      bobBlock = z.getInputStream(z.getEntry("META-INF/BOB.EC")).readAllBytes();
    }
    Path swapped = keys.rewrite(byAlice, "swapped", (n, b) -> n.equals("META-INF/ALICE.EC") ? bobBlock : b,
        Map.of());
    Verdict v = Signatures.verify(swapped, List.of(cert(alice, "alice"), cert(bob, "bob")));
    assertTrue(v.broken() && v.problem().startsWith("its signature does not verify"), v::describe);
  }

  @Test
  void anEntryThatIsThereTwiceIsRefused() throws Exception {
    Path twin = keys.rewrite(byAlice, "twin", (n, b) -> b, Map.of("x/Thinh.class", new byte[] {9}));
    byte[] bytes = Files.readAllBytes(twin);
    String latin = new String(bytes, StandardCharsets.ISO_8859_1).replace("x/Thinh.class", "x/Thing.class");
    Files.write(twin, latin.getBytes(StandardCharsets.ISO_8859_1));
    Verdict v = Signatures.verify(twin, List.of());
    assertTrue(v.broken() && v.problem().contains("x/Thing.class twice"), v::describe);
  }

  @Test
  void aFileThatIsNotAJarIsAnIoErrorNotAVerdict() throws Exception {
    Path text = Files.writeString(dir.resolve("not-a-jar.jar"), "hello");
    IOException e = assertThrows(IOException.class, () -> Signatures.verify(text, List.of()));
    assertTrue(e.getMessage().contains("not a jar"), e::getMessage);
  }

  /** Changes x/Thing.class and puts its new digest into the manifest and the signature file, as they are written. */
  private static Path forge(Path signed) throws IOException {
    byte[] evil = {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE, 6, 6, 6};
    String newDigest = java.util.Base64.getEncoder().encodeToString(sha256(evil));
    byte[][] manifest = new byte[1][];
    try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(signed.toFile())) {
      manifest[0] = z.getInputStream(z.getEntry("META-INF/MANIFEST.MF")).readAllBytes();
    }
    String mf = new String(manifest[0], StandardCharsets.UTF_8);
    String section = section(mf, "x/Thing.class");
    String oldDigest = section.substring(section.indexOf("SHA-256-Digest: ") + 16).trim();
    String newSection = section.replace(oldDigest, newDigest);
    String newMf = mf.replace(section, newSection);
    String newSectionDigest = java.util.Base64.getEncoder().encodeToString(sha256(utf8(newSection)));
    return keys.rewrite(signed, "forged", (n, b) -> {
      if (n.equals("x/Thing.class")) {
        return evil;
      }
      if (n.equals("META-INF/MANIFEST.MF")) {
        return utf8(newMf);
      }
      if (n.equals("META-INF/ALICE.SF")) {
        String sf = new String(b, StandardCharsets.UTF_8);
        String s = section(sf, "x/Thing.class");
        String old = s.substring(s.indexOf("SHA-256-Digest: ") + 16).trim();
        return utf8(sf.replace(s, s.replace(old, newSectionDigest)).replaceAll(
            "SHA-256-Digest-Manifest: [^\r\n]+", "SHA-256-Digest-Manifest: "
                + java.util.Base64.getEncoder().encodeToString(sha256(utf8(newMf)))));
      }
      return b;
    }, Map.of());
  }

  /** @return the manifest section of the entry, with its blank line */
  private static String section(String manifest, String name) {
    int start = manifest.indexOf("Name: " + name);
    int end = manifest.indexOf("\r\n\r\n", start);
    return manifest.substring(start, end + 4);
  }

  private static byte[] sha256(byte[] b) {
    try {
      return java.security.MessageDigest.getInstance("SHA-256").digest(b);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
