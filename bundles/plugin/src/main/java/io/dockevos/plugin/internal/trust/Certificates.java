package io.dockevos.plugin.internal.trust;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** X.509 certificates as users name them: SHA-256 fingerprints, and files in PEM or DER. */
public final class Certificates {
  private Certificates() {}

  /** @return the SHA-256 fingerprint of the certificate: upper-case hex pairs separated by colons */
  public static String fingerprint(X509Certificate c) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(c.getEncoded());
      StringBuilder s = new StringBuilder();
      for (byte b : d) {
        s.append(s.length() == 0 ? "" : ":").append(String.format(Locale.ROOT, "%02X", b));
      }
      return s.toString();
    } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
      throw new IllegalStateException("cannot take the SHA-256 fingerprint of " + c.getSubjectX500Principal(), e);
    }
  }

  /** @return the fingerprint as users may write it (colons or not, any case), normalised; {@code null} if it is not one */
  static String normalFingerprint(String text) {
    String hex = text.replace(":", "").trim().toUpperCase(Locale.ROOT);
    if (!hex.matches("[0-9A-F]{64}")) {
      return null;
    }
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < hex.length(); i += 2) {
      s.append(i == 0 ? "" : ":").append(hex, i, i + 2);
    }
    return s.toString();
  }

  /**
   * Reads the X.509 certificates in a file, PEM (one or more) or DER.
   *
   * @throws IOException naming the file and why it holds no certificate
   */
  public static List<X509Certificate> read(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    try {
      List<X509Certificate> result = new ArrayList<>();
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(bytes))) {
        if (c instanceof X509Certificate x) {
          result.add(x);
        }
      }
      if (result.isEmpty()) {
        throw new IOException(file + " holds no X.509 certificate (PEM or DER)");
      }
      return result;
    } catch (CertificateException e) {
      throw new IOException(file + " is not an X.509 certificate (PEM or DER): " + e.getMessage(), e);
    }
  }
}
