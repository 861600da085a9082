package io.dockevos.plugin.internal.trust;

import io.dockevos.common.internal.AtomicFiles;
import io.dockevos.common.internal.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who signed each installed plugin's jar, read once when it was installed, by bundle location:
 * {@code data/plugins/signers.json}. The level is not kept: it follows from the signer and the
 * trust store as it is when asked.
 */
final class SignerRecords {
  private static final Logger LOG = LoggerFactory.getLogger(SignerRecords.class);

  /**
   * @param modified the bundle's last-modified time when its jar was read: a bundle changed since
   *     (updated another way) is read again
   * @param signer its signer, or {@code null} for an unsigned jar
   */
  record Entry(long modified, Signatures.Signer signer) {}

  private final Path file;
  private final Map<String, Entry> entries = new LinkedHashMap<>();
  /** Entries put since the last save: a plan of 200 plugins writes the file once, not 200 times. */
  private boolean dirty;

  SignerRecords(Path file) {
    this.file = file;
    load();
  }

  synchronized Entry get(String location) {
    return entries.get(location);
  }

  /** Keeps the entry in memory; {@link #flush} writes it. */
  synchronized void put(String location, Entry entry) {
    entries.put(location, entry);
    dirty = true;
  }

  /**
   * Writes what was put since the last save. A record that was never written costs a read of the
   * jar when its level is asked: these are a cache of what the jars say.
   */
  synchronized void flush() {
    if (dirty) {
      save();
    }
  }

  /** Forgets the bundles that are no longer installed, and writes what changed since the last save. */
  synchronized void retainAndFlush(Set<String> locations) {
    if (entries.keySet().retainAll(locations)) {
      dirty = true;
    }
    flush();
  }

  /** Forgets the bundles that are no longer installed. */
  synchronized void retain(Set<String> locations) {
    if (entries.keySet().retainAll(locations)) {
      save();
    }
  }

  private void load() {
    if (!Files.isRegularFile(file)) {
      return;
    }
    try (InputStream in = Files.newInputStream(file)) {
      JsonObject bundles = Json.read(in).getJsonObject("bundles");
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      if (bundles != null) {
        for (Map.Entry<String, JsonValue> e : bundles.entrySet()) {
          JsonObject o = e.getValue().asJsonObject();
          Signatures.Signer signer = null;
          if (o.containsKey("chain") && !o.isNull("chain")) {
            List<X509Certificate> chain = new ArrayList<>();
            for (JsonString c : o.getJsonArray("chain").getValuesAs(JsonString.class)) {
              chain.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(
                  Base64.getDecoder().decode(c.getString()))));
            }
            Instant at = o.containsKey("timestamp") && !o.isNull("timestamp")
                ? Instant.ofEpochMilli(o.getJsonNumber("timestamp").longValue()) : null;
            signer = new Signatures.Signer(chain, at);
          }
          entries.put(e.getKey(), new Entry(o.getJsonNumber("modified").longValue(), signer));
        }
      }
    } catch (IOException | CertificateException | RuntimeException e) {
      // Written by rename only: this is damage from outside. The jars are read again when asked.
      LOG.warn("The signer records {} cannot be read ({}); each plugin's jar is read again when its level is asked",
          file, e.toString());
      entries.clear();
    }
  }

  private void save() {
    dirty = false;
    Map<String, Object> bundles = new LinkedHashMap<>();
    entries.forEach((location, e) -> {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("modified", e.modified());
      if (e.signer() != null) {
        o.put("subject", e.signer().subject());
        o.put("fingerprint", e.signer().fingerprint());
        List<String> chain = new ArrayList<>();
        for (X509Certificate c : e.signer().chain()) {
          try {
            chain.add(Base64.getEncoder().encodeToString(c.getEncoded()));
          } catch (java.security.cert.CertificateEncodingException x) {
            throw new IllegalStateException(x);
          }
        }
        o.put("chain", chain);
        o.put("timestamp", e.signer().timestamp() == null ? null : e.signer().timestamp().toEpochMilli());
      } else {
        o.put("chain", null);
      }
      bundles.put(location, o);
    });
    try {
      AtomicFiles.write(file, (Json.pretty(Map.of("version", 1, "bundles", bundles)) + "\n")
          .getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      LOG.error("Cannot write the signer records {}: {}", file, e.toString());
    }
  }
}
