package io.dockevos.plugin.internal.trust;

import io.dockevos.api.Host;
import io.dockevos.plugin.PluginException;
import io.dockevos.plugin.TrustEvents;
import io.dockevos.plugin.TrustLevel;
import io.dockevos.plugin.internal.trust.Signatures.Reading;
import io.dockevos.plugin.internal.trust.Signatures.Signer;
import io.dockevos.plugin.internal.trust.Signatures.Verdict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trust policy: which jars may be installed, from their signature ({@link Signatures}) and the
 * trusted certificates ({@link TrustStore}). Every jar that the plugin manager installs is admitted
 * here first: one whose signature is broken is refused under every policy; one below the policy's
 * {@code minimumTrust} is refused, unless it comes from the runtime's own {@code system/}. The
 * signer of each installed plugin is kept, so that its level follows the trust store.
 */
@Component(service = Trust.class, configurationPid = TrustLevel.POLICY_PID)
@Designate(ocd = Trust.Config.class)
public final class Trust {
  private static final Logger LOG = LoggerFactory.getLogger(Trust.class);
  /**
   * The trust store's password unless configured. The store holds public certificates only: the
   * password guards the file's integrity check, not a secret.
   */
  public static final String DEFAULT_PASSWORD = "dockevos";
  /** Where the policy is configured, for messages. */
  static final String WHERE = "minimumTrust of configuration " + TrustLevel.POLICY_PID + ", etc/" + TrustLevel.POLICY_PID
      + ".cfg";

  @ObjectClassDefinition(name = "dockevOS trust policy", description = "Which plugin jars may be installed, by who"
      + " signed them, and where the trusted certificates are")
  public @interface Config {
    @AttributeDefinition(description = "The lowest trust level a jar must have to be installed: unsigned (any jar"
        + " whose signature, if it has one, verifies), signed (a valid signature by any key) or trusted (a valid"
        + " signature by a key of the trust store)")
    String minimumTrust() default "unsigned";

    @AttributeDefinition(description = "The PKCS12 file of trusted certificates, relative to the dockevOS home")
    String trustStore() default "etc/trust.p12";

    @AttributeDefinition(description = "The trust store's password. It holds public certificates only, so the"
        + " default is a fixed one, which the documentation names")
    String trustStorePassword() default DEFAULT_PASSWORD;
  }

  /** The lowest accepted level, or why the configuration cannot be read (then nothing is admitted). */
  public record Policy(TrustLevel minimum, String problem) {
    static Policy of(Config config) {
      try {
        return new Policy(TrustLevel.parse(config.minimumTrust()), null);
      } catch (IllegalArgumentException e) {
        return new Policy(null, "the trust policy cannot be read: " + TrustLevel.MINIMUM_TRUST + " '"
            + config.minimumTrust() + "' (configuration " + TrustLevel.POLICY_PID + ", etc/" + TrustLevel.POLICY_PID
            + ".cfg) is none of unsigned, signed, trusted; no plugin is installed until it is fixed");
      }
    }
  }

  /** A jar file as it is now: a reading of it holds while these do not change. */
  private record FileKey(Path file, long size, long modified) {
    static FileKey of(Path jar) throws IOException {
      return new FileKey(jar.toAbsolutePath().normalize(), Files.size(jar), Files.getLastModifiedTime(jar).toMillis());
    }
  }

  /** A level computed against one generation of the trust store. */
  private record Computed(long generation, long modified, TrustLevel level) {}

  private final BundleContext context;
  private final Path home;
  private final SignerRecords records;
  /** The readings of the last jars read: admitting a jar and recording it read it once. */
  private final Map<FileKey, Reading> readings = java.util.Collections.synchronizedMap(
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<FileKey, Reading> eldest) {
          return size() > 64;
        }
      });
  /** The signers of bundles that were not installed by the plugin manager (boot bundles), read when asked. */
  private final Map<String, SignerRecords.Entry> unrecorded = new java.util.concurrent.ConcurrentHashMap<>();
  private final Map<String, Computed> levels = new java.util.concurrent.ConcurrentHashMap<>();
  private volatile Policy policy;
  private volatile TrustStore store;
  private volatile Path system;
  private volatile String password;

  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
  volatile EventAdmin events;

  @Activate
  public Trust(BundleContext context, Config config) {
    this.context = context;
    String h = context.getProperty(Host.HOME_PROPERTY);
    this.home = Path.of(h == null ? "." : h).toAbsolutePath();
    String d = context.getProperty(Host.DATA_PROPERTY);
    Path data = d == null ? home.resolve("data") : Path.of(d);
    this.records = new SignerRecords(data.resolve("plugins/signers.json"));
    Set<String> installed = new HashSet<>();
    for (Bundle b : context.getBundles()) {
      installed.add(b.getLocation());
    }
    records.retain(installed);
    modified(config);
  }

  @Modified
  void modified(Config config) {
    Policy p = Policy.of(config);
    if (p.problem() != null) {
      LOG.error("Cannot install plugins: {}", p.problem());
    } else if (policy == null || p.minimum() != policy.minimum()) {
      LOG.info("Trust policy: plugin jars must be at least {} (minimumTrust)", p.minimum());
    }
    policy = p;
    Path file = home.resolve(config.trustStore());
    TrustStore s = store;
    if (s == null || !s.file().equals(file) || !config.trustStorePassword().equals(password)) {
      store = new TrustStore(file, config.trustStorePassword());
      password = config.trustStorePassword();
      String problem = store.problem();
      if (problem != null) {
        LOG.error("The trust store {} cannot be read ({}): no certificate is trusted until it is fixed", file, problem);
      }
    }
  }

  public Policy policy() {
    return policy;
  }

  public TrustStore store() {
    return store;
  }

  /**
   * Admits a jar before it is planned: refuses a broken signature, and a level below the policy's
   * minimum unless the jar is in the runtime's own {@code system/}.
   *
   * @param source the jar as the user named it, for the message
   * @throws PluginException naming the source, its level and signer, and the policy
   */
  public void admit(Path jar, String source) throws PluginException {
    String why = refusal(jar);
    if (why != null) {
      throw new PluginException("Cannot install " + source + ": " + why);
    }
  }

  /**
   * @return why the jar is refused, in words that follow its name ("its signature is broken: ...",
   *     "it is unsigned, below ..."), or {@code null} when it is admitted
   */
  public String refusal(Path jar) {
    Reading r;
    try {
      r = reading(jar);
    } catch (IOException e) {
      return "its signature cannot be read: " + e.getMessage();
    }
    if (r.broken()) {
      return "its signature is broken: " + r.problem() + ". A jar whose signature does not verify is refused under"
          + " every trust policy.";
    }
    if (fromSystem(jar)) {
      return null; // the runtime's own repository is part of the installation, as bin/ is
    }
    Policy p = policy;
    if (p.problem() != null) {
      return p.problem();
    }
    TrustStore s = store;
    Verdict v = Signatures.verdict(r, s.certificates());
    if (v.level().atLeast(p.minimum())) {
      return null;
    }
    String hint = v.level() == TrustLevel.UNSIGNED
        ? "sign it with jarsigner" + (p.minimum() == TrustLevel.TRUSTED ? " by a key of the trust store" : "")
        : "trust its signer with trust:add and the signer's certificate (SHA-256 " + v.signer().fingerprint() + ")";
    String storeProblem = s.problem() == null ? "" : " (the trust store " + s.file() + " cannot be read: "
        + s.problem() + ")";
    return "it is " + v.describe() + ", below the trust policy's minimum '" + p.minimum().label() + "' (" + WHERE
        + ")" + storeProblem + ". To install it, " + hint + ", or lower " + TrustLevel.MINIMUM_TRUST + ".";
  }

  /**
   * @return the jar's level against the trust store as it is now, for the permissions policy
   *     ({@code autoGrant}); a jar whose signature cannot be read, or is broken, is unsigned
   */
  public TrustLevel level(Path jar) {
    try {
      Verdict v = verify(jar);
      return v.broken() ? TrustLevel.UNSIGNED : v.level();
    } catch (IOException e) {
      return TrustLevel.UNSIGNED;
    }
  }

  /** @return the verdict on a jar against the trust store */
  public Verdict verify(Path jar) throws IOException {
    return Signatures.verdict(reading(jar), store.certificates());
  }

  /**
   * Writes the signers {@link #record} kept since the last time: once a plan, not once a bundle. The
   * records of bundles that are no longer installed go: a plan that was rolled back, or an uninstall,
   * leaves none behind.
   */
  @Deactivate
  public void flush() {
    Set<String> installed = new HashSet<>();
    try {
      for (Bundle b : context.getBundles()) {
        installed.add(b.getLocation());
      }
    } catch (IllegalStateException stopping) {
      records.flush(); // the context is gone: keep what there is
      return;
    }
    records.retainAndFlush(installed);
  }

  /** Keeps who signed the jar a bundle was just installed or updated from, in memory until {@link #flush}. */
  public void record(Bundle bundle, Path jar) {
    Reading r;
    try {
      r = reading(jar);
    } catch (IOException e) {
      LOG.warn("Cannot read the signature of {} ({}): its level is read again when asked", jar, e.toString());
      return;
    }
    records.put(bundle.getLocation(), new SignerRecords.Entry(bundle.getLastModified(), r.broken() ? null : r.signer()));
    levels.remove(bundle.getLocation());
  }

  /**
   * @param jar finds the bundle's jar, for a bundle whose signer was not kept when it was installed
   *     (a boot bundle); {@code null} when there is none
   * @return the bundle's signer, if its jar is signed
   */
  public Optional<Signer> signer(Bundle bundle, Supplier<Path> jar) {
    SignerRecords.Entry e = entry(bundle, jar);
    return Optional.ofNullable(e == null ? null : e.signer());
  }

  /** @return the bundle's level against the trust store as it is now */
  public TrustLevel level(Bundle bundle, Supplier<Path> jar) {
    TrustStore s = store;
    long generation = s.generation();
    Computed c = levels.get(bundle.getLocation());
    if (c != null && c.generation() == generation && c.modified() == bundle.getLastModified()) {
      return c.level();
    }
    SignerRecords.Entry e = entry(bundle, jar);
    if (e == null) {
      return TrustLevel.UNSIGNED; // no jar to read: not kept, it may be found later
    }
    TrustLevel level = e.signer() == null ? TrustLevel.UNSIGNED : Signatures.level(e.signer(), s.certificates());
    levels.put(bundle.getLocation(), new Computed(generation, bundle.getLastModified(), level));
    return level;
  }

  private SignerRecords.Entry entry(Bundle bundle, Supplier<Path> jar) {
    String location = bundle.getLocation();
    SignerRecords.Entry e = records.get(location);
    if (e == null || e.modified() != bundle.getLastModified()) {
      e = unrecorded.get(location);
    }
    if (e != null && e.modified() == bundle.getLastModified()) {
      return e;
    }
    Path file = jar.get();
    if (file == null || !Files.isRegularFile(file)) {
      return null;
    }
    try {
      Reading r = reading(file);
      if (r.broken()) {
        LOG.warn("The jar of {} ({}) has a broken signature: {}", bundle.getSymbolicName(), file, r.problem());
      }
      e = new SignerRecords.Entry(bundle.getLastModified(), r.broken() ? null : r.signer());
      unrecorded.put(location, e);
      return e;
    } catch (IOException x) {
      LOG.warn("Cannot read the signature of {} ({}): {}", bundle.getSymbolicName(), file, x.toString());
      return null;
    }
  }

  private Reading reading(Path jar) throws IOException {
    FileKey key = FileKey.of(jar);
    Reading r = readings.get(key);
    if (r == null) {
      r = Signatures.read(jar);
      readings.put(key, r);
    }
    return r;
  }

  /** @return whether the jar is in the runtime's own repository, {@code system/} */
  boolean fromSystem(Path jar) {
    try {
      Path s = system;
      if (s == null) {
        Path dir = home.resolve("system");
        if (!Files.isDirectory(dir)) {
          return false;
        }
        system = s = dir.toRealPath();
      }
      return jar.toRealPath().startsWith(s);
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Trusts a certificate, and publishes {@link TrustEvents#ADDED}.
   *
   * @return what was added
   */
  public TrustStore.Entry add(String alias, X509Certificate certificate) throws IOException {
    TrustStore.Entry e = store.add(alias, certificate);
    LOG.info("Trusted {} as {} (SHA-256 {})", e.subject(), e.alias(), e.fingerprint());
    post(TrustEvents.ADDED, e);
    return e;
  }

  /**
   * Stops trusting a certificate, and publishes {@link TrustEvents#REMOVED}.
   *
   * @return what was removed
   */
  public TrustStore.Entry remove(String ref) throws IOException {
    TrustStore.Entry e = store.remove(ref);
    LOG.info("No longer trusted: {}, {} (SHA-256 {})", e.alias(), e.subject(), e.fingerprint());
    post(TrustEvents.REMOVED, e);
    return e;
  }

  private void post(String topic, TrustStore.Entry e) {
    EventAdmin ea = events;
    if (ea == null) {
      return;
    }
    Map<String, Object> props = new HashMap<>();
    props.put(TrustEvents.ALIAS, e.alias());
    props.put(TrustEvents.SUBJECT, e.subject());
    props.put(TrustEvents.FINGERPRINT, e.fingerprint());
    ea.postEvent(new Event(topic, props));
  }

  /** @return the installed bundles, for the commands that say whose level a change moved */
  List<Bundle> bundles() {
    return List.of(context.getBundles());
  }
}
