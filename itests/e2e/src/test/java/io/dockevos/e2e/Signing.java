package io.dockevos.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSigner;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import jdk.security.jarsigner.JarSigner;

/** Keys made with the JDK's keytool, jars signed with its jarsigner API, and jars changed after signing. */
final class Signing {
  private static final String PASSWORD = "e2e-pass";

  private Signing() {}

  /** @return a PKCS12 keystore with a new key pair and a self-signed certificate under {@code alias} */
  static Path key(Path dir, String alias, String dname) {
    Path store = dir.resolve(alias + ".p12");
    keytool("-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", dname,
        "-validity", "30", "-keystore", store.toString(), "-keypass", PASSWORD);
    return store;
  }

  /** @return the key's certificate, written as PEM to {@code pem} by keytool */
  static Path certificate(Path store, String alias, Path pem) {
    keytool("-exportcert", "-rfc", "-alias", alias, "-keystore", store.toString(), "-file", pem.toString());
    return pem;
  }

  private static void keytool(String... args) {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
    command.addAll(List.of(args));
    command.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD));
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        throw new AssertionError("keytool failed: " + String.join(" ", command) + "\n" + out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Signs {@code jar} into {@code out} with the key of {@code store}. */
  static Path sign(Path jar, Path store, String alias, Path out) {
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(store)) {
        ks.load(in, PASSWORD.toCharArray());
      }
      KeyStore.PrivateKeyEntry key = (KeyStore.PrivateKeyEntry) ks.getEntry(alias,
          new KeyStore.PasswordProtection(PASSWORD.toCharArray()));
      try (ZipFile in = new ZipFile(jar.toFile()); OutputStream o = Files.newOutputStream(out)) {
        new JarSigner.Builder(key).build().sign(in, o);
      }
      return out;
    } catch (Exception e) {
      throw new AssertionError("signing " + jar, e);
    }
  }

  /** @return a copy of a signed jar whose first class entry has one more byte, as an attacker would change it */
  static Path tamper(Path signed, Path out) {
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(signed));
        ZipOutputStream zout = new ZipOutputStream(Files.newOutputStream(out))) {
      boolean changed = false;
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        byte[] bytes = in.readAllBytes();
        if (!changed && e.getName().endsWith(".class")) {
          bytes = java.util.Arrays.copyOf(bytes, bytes.length + 1);
          changed = true;
        }
        zout.putNextEntry(new ZipEntry(e.getName()));
        zout.write(bytes);
        zout.closeEntry();
      }
      if (!changed) {
        throw new AssertionError(signed + " has no class to change");
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** @return the name of the entry {@link #tamper} changes */
  static String firstClass(Path jar) {
    try (ZipFile z = new ZipFile(jar.toFile())) {
      return Collections.list(z.entries()).stream().map(ZipEntry::getName).filter(n -> n.endsWith(".class"))
          .findFirst().orElseThrow();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes the certificate of the signer of a signed jar as PEM, as a user gets it from the jar's publisher. */
  static Path signerCertificate(Path jar, Path pem) {
    try (JarFile file = new JarFile(jar.toFile(), true)) {
      for (JarEntry e : Collections.list(file.entries())) {
        if (e.isDirectory() || e.getName().startsWith("META-INF/")) {
          continue;
        }
        try (InputStream in = file.getInputStream(e)) {
          in.readAllBytes();
        }
        CodeSigner[] signers = e.getCodeSigners();
        if (signers != null) {
          X509Certificate c = (X509Certificate) signers[0].getSignerCertPath().getCertificates().get(0);
          Files.writeString(pem, "-----BEGIN CERTIFICATE-----\n"
              + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(c.getEncoded())
              + "\n-----END CERTIFICATE-----\n");
          return pem;
        }
      }
      throw new AssertionError(jar + " is not signed");
    } catch (IOException | java.security.cert.CertificateEncodingException e) {
      throw new AssertionError(e);
    }
  }
}
