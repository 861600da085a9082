package io.dockevos.plugin.internal.trust;

import io.dockevos.common.internal.Json;
import io.dockevos.common.internal.Tables;
import io.dockevos.plugin.TrustLevel;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.framework.Bundle;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;

/**
 * The {@code trust:*} Gogo commands: the trusted certificates of {@code etc/trust.p12} and the
 * policy. A failure is thrown as an {@link IllegalStateException} with its message, so that the
 * console and {@code bin/dockevos client} print it as it is.
 */
@Component(configurationPolicy = ConfigurationPolicy.IGNORE, service = TrustCommands.class, property = {
    "osgi.command.scope=trust", "osgi.command.function=list", "osgi.command.function=add",
    "osgi.command.function=remove"})
public final class TrustCommands {
  private final Trust trust;
  private final Path home;

  @Activate
  public TrustCommands(@Reference Trust trust, org.osgi.framework.BundleContext context) {
    this.trust = trust;
    String h = context.getProperty(io.dockevos.api.Host.HOME_PROPERTY);
    this.home = Path.of(h == null ? "." : h).toAbsolutePath();
  }

  @Descriptor("list the trusted certificates (alias, subject, validity, SHA-256 fingerprint) and the trust policy")
  public void list(
      @Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
          absentValue = "false") boolean help,
      @Descriptor("print JSON") @Parameter(names = "--json", presentValue = "true", absentValue = "false")
          boolean json) {
    if (help) {
      io.dockevos.common.internal.CommandHelp.print(this, "trust:list");
      return;
    }
    TrustStore store = trust.store();
    Trust.Policy policy = trust.policy();
    List<TrustStore.Entry> entries = store.entries();
    PrintStream out = System.out;
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put(TrustLevel.MINIMUM_TRUST, policy.minimum() == null ? null : policy.minimum().label());
      m.put("policyProblem", policy.problem());
      m.put("store", store.file().toString());
      m.put("storeProblem", store.problem());
      m.put("certificates", entries.stream().map(TrustCommands::toMap).toList());
      out.println(Json.pretty(m));
      return;
    }
    out.println("Trust policy: " + (policy.problem() != null ? policy.problem()
        : TrustLevel.MINIMUM_TRUST + " = " + policy.minimum().label() + " (configuration " + TrustLevel.POLICY_PID
            + ")"));
    out.println("Trust store:  " + store.file() + (store.problem() != null ? ", which cannot be read: "
        + store.problem() : ""));
    if (entries.isEmpty()) {
      out.println("No certificate is trusted. trust:add CERT_FILE trusts one (X.509, PEM or DER).");
      return;
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"Alias", "Subject", "Valid from", "Valid until", "SHA-256"});
    Instant now = Instant.now();
    for (TrustStore.Entry e : entries) {
      rows.add(new String[] {e.alias(), e.subject(), day(e.notBefore()), day(e.notAfter())
          + (e.notAfter().isBefore(now) ? " (expired)" : ""), e.fingerprint()});
    }
    out.println();
    Tables.print(out, rows);
  }

  @Descriptor("trust the certificates of a file (X.509, PEM or DER): the plugins their keys sign become 'trusted'")
  public void add(
      @Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
          absentValue = "false") boolean help,
      @Descriptor("the alias to give it (default: from its subject's common name)") @Parameter(names = "--alias",
          absentValue = "") String alias,
      @Descriptor("the certificate file, relative to the dockevOS home or absolute") String file) {
    if (help) {
      io.dockevos.common.internal.CommandHelp.print(this, "trust:add");
      return;
    }
    Path path = home.resolve(file);
    if (!Files.isRegularFile(path)) {
      throw new IllegalStateException("Cannot trust " + file + ": there is no file " + path
          + " (a relative path is read from the dockevOS home, " + home + ")");
    }
    List<X509Certificate> certs;
    try {
      certs = Certificates.read(path);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot trust " + file + ": " + e.getMessage(), e);
    }
    if (certs.size() > 1 && !alias.isBlank()) {
      throw new IllegalStateException("Cannot trust " + file + ": it holds " + certs.size() + " certificates, and"
          + " --alias names one; leave --alias out to name each from its subject");
    }
    Map<Bundle, TrustLevel> before = levels();
    for (X509Certificate c : certs) {
      TrustStore.Entry e = call(() -> trust.add(alias.isBlank() ? null : alias, c));
      System.out.println("Trusted " + e.subject() + " as " + e.alias() + " (SHA-256 " + e.fingerprint()
          + "), valid until " + day(e.notAfter()) + (e.notAfter().isBefore(Instant.now()) ? " (expired)" : ""));
    }
    changed(before);
  }

  /** {@code trust:add} without its arguments: its help with {@code --help}, else what it needs. */
  public void add(@Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
      absentValue = "false") boolean help) {
    io.dockevos.common.internal.CommandHelp.withoutArguments(this, "trust:add", help);
  }

  @Descriptor("stop trusting a certificate: the plugins its key signed become 'signed'")
  public void remove(
      @Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
          absentValue = "false") boolean help,
      @Descriptor("its alias or SHA-256 fingerprint") String ref) {
    if (help) {
      io.dockevos.common.internal.CommandHelp.print(this, "trust:remove");
      return;
    }
    Map<Bundle, TrustLevel> before = levels();
    TrustStore.Entry e = call(() -> trust.remove(ref));
    System.out.println("Removed " + e.alias() + ": " + e.subject() + " (SHA-256 " + e.fingerprint() + ")");
    changed(before);
  }

  /** {@code trust:remove} without its arguments: its help with {@code --help}, else what it needs. */
  public void remove(@Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
      absentValue = "false") boolean help) {
    io.dockevos.common.internal.CommandHelp.withoutArguments(this, "trust:remove", help);
  }

  /** Prints the plugins whose level the change moved, with the policy's word on them. */
  private void changed(Map<Bundle, TrustLevel> before) {
    Map<Bundle, TrustLevel> after = levels();
    Trust.Policy policy = trust.policy();
    before.forEach((b, was) -> {
      TrustLevel now = after.get(b);
      if (now != null && now != was) {
        System.out.println("Plugin " + b.getBundleId() + " " + b.getSymbolicName() + " " + b.getVersion() + " is now "
            + now.label() + (policy.minimum() != null && !now.atLeast(policy.minimum())
                ? ", below the policy's minimum '" + policy.minimum().label() + "': it keeps running; a new install"
                    + " of it would be refused" : ""));
      }
    });
  }

  /** @return the level of each installed bundle whose signer is known */
  private Map<Bundle, TrustLevel> levels() {
    Map<Bundle, TrustLevel> m = new LinkedHashMap<>();
    Supplier<Path> none = () -> null;
    for (Bundle b : trust.bundles()) {
      if (b.getBundleId() != 0 && trust.signer(b, none).isPresent()) {
        m.put(b, trust.level(b, none));
      }
    }
    return m;
  }

  static Map<String, Object> toMap(TrustStore.Entry e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("alias", e.alias());
    m.put("subject", e.subject());
    m.put("fingerprint", e.fingerprint());
    m.put("notBefore", e.notBefore().toString());
    m.put("notAfter", e.notAfter().toString());
    m.put("expired", e.notAfter().isBefore(Instant.now()));
    return m;
  }

  private static String day(Instant t) {
    return t.toString().substring(0, 10);
  }

  @FunctionalInterface
  private interface Call<T> {
    T run() throws IOException;
  }

  private static <T> T call(Call<T> c) {
    try {
      return c.run();
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalStateException(e instanceof IOException ? "Cannot change the trust store: " + e.getMessage()
          : e.getMessage(), e);
    }
  }
}
