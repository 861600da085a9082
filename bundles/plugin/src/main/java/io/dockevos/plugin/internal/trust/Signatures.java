package io.dockevos.plugin.internal.trust;

import io.dockevos.plugin.TrustLevel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.CodeSigner;
import java.security.GeneralSecurityException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.ZipException;

/**
 * Reads a jar's {@code jarsigner} signature with the JDK's own verification ({@link JarFile} with
 * verification on, every entry read whole, then {@link JarEntry#getCodeSigners()}), and tells its
 * {@link TrustLevel} against the trusted certificates. No cryptography is done here: the JDK checks
 * the digests and signatures, and {@link CertPathValidator} the chains.
 *
 * <p>A signed jar is accepted when every entry (but the manifest and the signature files
 * themselves) is signed by the same one signer, nothing was changed since, and every entry its
 * signature names is there. Anything else is a broken signature, refused under every policy: Felix
 * would install such a jar, so the host must refuse it itself.
 */
public final class Signatures {
  private Signatures() {}

  /**
   * The one signer of a jar.
   *
   * @param chain its certificates, the signer's first, as the jar's signature block carries them
   * @param timestamp when a time-stamping authority says the jar was signed, or {@code null}
   */
  public record Signer(List<X509Certificate> chain, Instant timestamp) {
    public Signer {
      chain = List.copyOf(chain);
      if (chain.isEmpty()) {
        throw new IllegalArgumentException("a signer has a certificate");
      }
    }

    public X509Certificate certificate() {
      return chain.get(0);
    }

    /** @return the signer certificate's subject, as RFC 2253 writes it */
    public String subject() {
      return certificate().getSubjectX500Principal().getName();
    }

    /** @return the SHA-256 fingerprint of the signer's certificate */
    public String fingerprint() {
      return Certificates.fingerprint(certificate());
    }

    @Override
    public String toString() {
      return subject() + ", SHA-256 " + fingerprint();
    }
  }

  /**
   * What a jar's signature says, before any trust store is asked.
   *
   * @param signer its one signer, or {@code null} when it is unsigned or broken
   * @param problem why the signature is broken, in plain words, or {@code null}
   */
  public record Reading(Signer signer, String problem) {
    static final Reading UNSIGNED = new Reading(null, null);

    public boolean broken() {
      return problem != null;
    }
  }

  /**
   * The verdict on a jar.
   *
   * @param level its level, or {@code null} when its signature is broken
   * @param signer its signer, or {@code null} when it is unsigned or broken
   * @param problem why its signature is broken, or {@code null}
   */
  public record Verdict(TrustLevel level, Signer signer, String problem) {
    public boolean broken() {
      return problem != null;
    }

    /** @return the level and the signer, in words: {@code signed by CN=..., SHA-256 ...} */
    public String describe() {
      if (broken()) {
        return "its signature is broken: " + problem;
      }
      return level == TrustLevel.UNSIGNED ? "unsigned" : level.label() + " (signed by " + signer + ")";
    }
  }

  /** @return the verdict on the jar against the trusted certificates */
  public static Verdict verify(Path jar, Collection<X509Certificate> trusted) throws IOException {
    Reading r = read(jar);
    return verdict(r, trusted);
  }

  /** @return the verdict of a reading against the trusted certificates */
  public static Verdict verdict(Reading r, Collection<X509Certificate> trusted) {
    if (r.broken()) {
      return new Verdict(null, null, r.problem());
    }
    if (r.signer() == null) {
      return new Verdict(TrustLevel.UNSIGNED, null, null);
    }
    return new Verdict(level(r.signer(), trusted), r.signer(), null);
  }

  /**
   * Reads the signature of a jar.
   *
   * @throws IOException when the file cannot be read, or is not a jar (zip) file
   */
  public static Reading read(Path jar) throws IOException {
    try (JarFile file = new JarFile(jar.toFile(), true)) {
      List<JarEntry> entries = Collections.list(file.entries());
      Set<String> names = new HashSet<>();
      Set<String> signatureFiles = new TreeSet<>();
      for (JarEntry e : entries) {
        if (!names.add(e.getName())) {
          // Two entries of one name: a reader could take either, the verification only one.
          return broken("it holds the entry " + e.getName() + " twice");
        }
        if (isSignatureBlockOrFile(e.getName())) {
          signatureFiles.add(e.getName());
        }
      }
      if (signatureFiles.isEmpty()) {
        return Reading.UNSIGNED;
      }
      byte[] buffer = new byte[8192];
      List<String> unsigned = new ArrayList<>();
      Set<CertPath> signers = new LinkedHashSet<>();
      Map<CertPath, CodeSigner> signerOf = new java.util.HashMap<>();
      for (JarEntry e : entries) {
        if (e.isDirectory()) {
          continue;
        }
        try (InputStream in = file.getInputStream(e)) {
          while (in.read(buffer) != -1) {
            // read whole: the JDK checks the entry's digest at its end
          }
        } catch (SecurityException x) {
          String why = String.valueOf(x.getMessage());
          if (why.contains("digest error for " + e.getName())) {
            return broken("the entry " + e.getName() + " was changed after signing (" + why + ")");
          }
          return broken("its signature does not verify (" + why + "): the manifest or the signature files were"
              + " changed after signing, or the signature is forged");
        }
        if (isSignatureRelated(e.getName())) {
          continue;
        }
        CodeSigner[] cs = e.getCodeSigners();
        if (cs == null || cs.length == 0) {
          unsigned.add(e.getName());
          continue;
        }
        // One signer in all: then every signed entry has that one, and no other.
        for (CodeSigner c : cs) {
          signers.add(c.getSignerCertPath());
          signerOf.putIfAbsent(c.getSignerCertPath(), c);
        }
      }
      if (signers.isEmpty()) {
        return broken("it has signature files (" + String.join(", ", signatureFiles) + ") but no entry is signed by"
            + " a signature that verifies: the signature block does not match, or it uses an algorithm the JDK no"
            + " longer accepts (such as SHA-1 or MD5)");
      }
      if (signers.size() > 1) {
        return broken("it is signed by " + signers.size() + " signers (" + String.join("; ", signers.stream()
            .map(p -> subject(p)).toList()) + "); a plugin jar is signed by one signer, for every entry");
      }
      if (!unsigned.isEmpty()) {
        return broken(unsigned.size() == 1 ? "the entry " + unsigned.get(0) + " is not signed: it was added after signing"
            : unsigned.size() + " entries are not signed (" + shortList(unsigned) + "): they were added after signing");
      }
      List<String> missing = namedButMissing(file, names, signatureFiles);
      if (!missing.isEmpty()) {
        return broken(missing.size() == 1 ? "its signature names the entry " + missing.get(0) + ", which the jar does"
            + " not hold: it was removed after signing" : "its signature names " + missing.size() + " entries that the"
            + " jar does not hold (" + shortList(missing) + "): they were removed after signing");
      }
      CodeSigner only = signerOf.get(signers.iterator().next());
      List<X509Certificate> chain = new ArrayList<>();
      for (Certificate c : only.getSignerCertPath().getCertificates()) {
        if (!(c instanceof X509Certificate x)) {
          return broken("its signer's certificate is not an X.509 certificate");
        }
        chain.add(x);
      }
      Instant at = only.getTimestamp() == null ? null : only.getTimestamp().getTimestamp().toInstant();
      return new Reading(new Signer(chain, at), null);
    } catch (ZipException e) {
      throw new IOException("it is not a jar (zip) file, or it is damaged: " + e.getMessage(), e);
    } catch (SecurityException e) {
      // the manifest or a signature file itself does not verify
      return broken("its signature does not verify: " + e.getMessage());
    }
  }

  /**
   * @return the entries that the manifest gives a digest for, or a signature file names, that the
   *     jar does not hold
   */
  private static List<String> namedButMissing(JarFile file, Set<String> names, Set<String> signatureFiles)
      throws IOException {
    Set<String> missing = new TreeSet<>();
    Manifest mf = file.getManifest();
    if (mf != null) {
      for (Map.Entry<String, Attributes> e : mf.getEntries().entrySet()) {
        boolean digest = e.getValue().keySet().stream().anyMatch(k -> k.toString().toUpperCase(Locale.ROOT)
            .endsWith("-DIGEST"));
        if (digest && !names.contains(e.getKey())) {
          missing.add(e.getKey());
        }
      }
    }
    for (String sf : signatureFiles) {
      if (!sf.toUpperCase(Locale.ROOT).endsWith(".SF")) {
        continue;
      }
      try (InputStream in = file.getInputStream(file.getEntry(sf))) {
        for (String name : new Manifest(in).getEntries().keySet()) {
          if (!names.contains(name)) {
            missing.add(name);
          }
        }
      }
    }
    return new ArrayList<>(missing);
  }

  /**
   * The level of a valid signer: {@link TrustLevel#TRUSTED} when its certificate is trusted, or a
   * certificate of its chain is and the chain up to it validates (PKIX, at the signing time a
   * time-stamping authority gave, else now; no revocation check); else {@link TrustLevel#SIGNED}.
   */
  public static TrustLevel level(Signer signer, Collection<X509Certificate> trusted) {
    if (trusted.isEmpty()) {
      return TrustLevel.SIGNED;
    }
    List<X509Certificate> chain = signer.chain();
    if (trusted.contains(chain.get(0))) {
      return TrustLevel.TRUSTED;
    }
    Set<TrustAnchor> anchors = new HashSet<>();
    trusted.forEach(c -> anchors.add(new TrustAnchor(c, null)));
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      CertPathValidator validator = CertPathValidator.getInstance("PKIX");
      // Each start of the chain: the jar's chain may end in a root that is not trusted itself.
      for (int end = 1; end <= chain.size(); end++) {
        PKIXParameters params = new PKIXParameters(anchors);
        params.setRevocationEnabled(false);
        params.setDate(Date.from(signer.timestamp() != null ? signer.timestamp() : Instant.now()));
        try {
          validator.validate(factory.generateCertPath(chain.subList(0, end)), params);
          return TrustLevel.TRUSTED;
        } catch (GeneralSecurityException notThisOne) {
          // try the longer chain
        }
      }
    } catch (GeneralSecurityException e) {
      // no PKIX here: the signer's own certificate is what is trusted
    }
    return TrustLevel.SIGNED;
  }

  private static Reading broken(String problem) {
    return new Reading(null, problem);
  }

  private static String subject(CertPath path) {
    List<? extends Certificate> certs = path.getCertificates();
    return certs.isEmpty() || !(certs.get(0) instanceof X509Certificate x) ? "?"
        : x.getSubjectX500Principal().getName();
  }

  private static String shortList(List<String> names) {
    return names.size() <= 5 ? String.join(", ", names)
        : String.join(", ", names.subList(0, 5)) + " and " + (names.size() - 5) + " more";
  }

  /** @return whether the entry is the manifest or a signature file, which no signature covers */
  static boolean isSignatureRelated(String name) {
    String n = name.toUpperCase(Locale.ROOT);
    return n.equals(JarFile.MANIFEST_NAME) || isSignatureBlockOrFile(name);
  }

  /** @return whether the entry is a signature file ({@code .SF}) or signature block ({@code .RSA}, ...) */
  static boolean isSignatureBlockOrFile(String name) {
    String n = name.toUpperCase(Locale.ROOT);
    if (!n.startsWith("META-INF/") || n.indexOf('/', "META-INF/".length()) >= 0) {
      return false;
    }
    String f = n.substring("META-INF/".length());
    return f.endsWith(".SF") || f.endsWith(".RSA") || f.endsWith(".DSA") || f.endsWith(".EC")
        || f.startsWith("SIG-");
  }
}
