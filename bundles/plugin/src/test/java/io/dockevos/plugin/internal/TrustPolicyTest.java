package io.dockevos.plugin.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dockevos.api.Host;
import io.dockevos.install.Change;
import io.dockevos.install.Outcome;
import io.dockevos.plugin.Plugin;
import io.dockevos.plugin.PluginException;
import io.dockevos.plugin.PluginManager.InstallOption;
import io.dockevos.plugin.TrustLevel;
import io.dockevos.plugin.internal.plan.PlannerTest;
import io.dockevos.plugin.internal.trust.Certificates;
import io.dockevos.plugin.internal.trust.TestKeys;
import io.dockevos.plugin.internal.trust.Trust;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.felix.framework.Felix;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;

/**
 * The trust policy in the install pipeline, against a real Felix framework: unsigned, signed,
 * trusted and tampered jars under each {@code minimumTrust}, through every way in (a plan, a forced
 * install, what a plan takes from the repository), and the level of each installed plugin as the
 * trust store changes.
 */
class TrustPolicyTest {
  @TempDir
  Path home;
  Felix felix;
  BundleContext context;
  TestKeys keys;
  X509Certificate bob;

  /** @return the trust policy with {@code minimumTrust} and the default trust store, {@code etc/trust.p12} */
  static Trust trust(BundleContext context, String minimumTrust) {
    return new Trust(context, config(minimumTrust, Trust.DEFAULT_PASSWORD));
  }

  @SuppressWarnings("all")
  static Trust.Config config(String minimumTrust, String password) {
    return new Trust.Config() {
      @Override
      public String minimumTrust() {
        return minimumTrust;
      }

      @Override
      public String trustStore() {
        return "etc/trust.p12";
      }

      @Override
      public String trustStorePassword() {
        return password;
      }

      @Override
      public Class<? extends java.lang.annotation.Annotation> annotationType() {
        return Trust.Config.class;
      }
    };
  }

  @BeforeEach
  void start() throws Exception {
    felix = new Felix(Map.of(Constants.FRAMEWORK_STORAGE, home.resolve("data/cache").toString(),
        Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT,
        Host.HOME_PROPERTY, home.toString(), Host.DATA_PROPERTY, home.resolve("data").toString()));
    felix.start();
    context = felix.getBundleContext();
    keys = TestKeys.in(Files.createDirectories(home.resolve("jars")));
    bob = TestKeys.certificate(TestKeys.Shared.BOB, "bob");
  }

  @AfterEach
  void stop() throws Exception {
    felix.stop();
    felix.waitForStop(10_000);
  }

  PluginManagerImpl manager(Trust trust) throws Exception {
    PluginManagerImpl m = new PluginManagerImpl(context, trust);
    m.catalog = new PlannerTest.JarCatalog();
    return m;
  }

  /** Bob's certificate is trusted: a jar Bob signed is trusted, one Alice signed is only signed. */
  Trust trustingBob(String minimumTrust) throws Exception {
    Trust t = trust(context, minimumTrust);
    t.add(null, bob);
    return t;
  }

  List<String> installed() {
    return Stream.of(context.getBundles()).filter(b -> b.getBundleId() != 0).map(Bundle::getSymbolicName).toList();
  }

  @ParameterizedTest
  @EnumSource(TrustLevel.class)
  void eachPolicyInstallsWhatIsAtItsLevelOrAboveAndRefusesTheRestNamingTheFileItsLevelAndThePolicy(TrustLevel policy)
      throws Exception {
    PluginManagerImpl m = manager(trustingBob(policy.label()));
    Path unsigned = keys.bundle("t.unsigned");
    Path signed = keys.sign(keys.bundle("t.signed"), TestKeys.Shared.ALICE, "alice");
    Path trusted = keys.sign(keys.bundle("t.trusted"), TestKeys.Shared.BOB, "bob");
    Map<TrustLevel, Path> jars = Map.of(TrustLevel.UNSIGNED, unsigned, TrustLevel.SIGNED, signed,
        TrustLevel.TRUSTED, trusted);
    for (TrustLevel level : TrustLevel.values()) {
      Path jar = jars.get(level);
      if (level.atLeast(policy)) {
        Outcome o = m.execute(Change.install("test", List.of(jar.toString())));
        long id = o.bundles().get(0);
        assertEquals(level, m.trust(id), jar + " under minimumTrust=" + policy);
        Plugin p = m.find(String.valueOf(id)).orElseThrow();
        assertEquals(level, p.trust());
      } else {
        PluginException e = assertThrows(PluginException.class,
            () -> m.execute(Change.install("test", List.of(jar.toString()))), jar + " under minimumTrust=" + policy);
        String msg = e.getMessage();
        assertTrue(msg.startsWith("Cannot install " + jar + ": it is " + level.label()), msg);
        assertTrue(msg.contains("below the trust policy's minimum '" + policy.label() + "' (minimumTrust of"
            + " configuration dockevos.trust, etc/dockevos.trust.cfg)"), msg);
        if (level == TrustLevel.SIGNED) {
          assertTrue(msg.contains("signed by CN=Alice,O=Example, SHA-256 ") && msg.contains("trust:add"), msg);
        }
      }
    }
    // A tampered jar is refused under every policy, even when its signer is trusted.
    Path tampered = keys.replace(keys.sign(keys.bundle("t.tampered"), TestKeys.Shared.BOB, "bob"), "x/notes.txt",
        b -> TestKeys.utf8("changed"));
    PluginException e = assertThrows(PluginException.class,
        () -> m.execute(Change.install("test", List.of(tampered.toString()))));
    assertTrue(e.getMessage().startsWith("Cannot install " + tampered + ": its signature is broken: the entry"
        + " x/notes.txt was changed after signing"), e::getMessage);
    assertTrue(e.getMessage().contains("refused under every trust policy"), e::getMessage);
    long expected = Stream.of(TrustLevel.values()).filter(l -> l.atLeast(policy)).count();
    assertEquals(expected, installed().size(), installed()::toString);
    assertFalse(installed().contains("t.tampered"));
  }

  @Test
  void aManifestChangedAfterSigningIsABrokenSignatureNotAnUnreadableJar() throws Exception {
    PluginManagerImpl m = manager(trust(context, "unsigned"));
    Path changed = keys.replace(keys.sign(keys.bundle("t.manifest"), TestKeys.Shared.ALICE, "alice"),
        "META-INF/MANIFEST.MF", b -> TestKeys.utf8(new String(b, java.nio.charset.StandardCharsets.UTF_8)
            .replace("Bundle-Version: 1.0.0", "Bundle-Version: 6.6.6")));
    PluginException e = assertThrows(PluginException.class,
        () -> m.execute(Change.install("test", List.of(changed.toString()))));
    assertTrue(e.getMessage().startsWith("Cannot install " + changed + ": its signature is broken: its signature does"
        + " not verify (Invalid signature file digest for Manifest main attributes)"), e::getMessage);
    assertEquals(List.of(), installed());
  }

  @Test
  void anUpdateIsAdmittedByThePolicyAndTheNewJarsSignerIsKept() throws Exception {
    PluginManagerImpl m = manager(trustingBob("signed"));
    Path byBob = keys.sign(keys.bundle("t.update"), TestKeys.Shared.BOB, "bob");
    long id = m.execute(Change.install("test", List.of(byBob.toString()))).bundles().get(0);
    assertEquals(TrustLevel.TRUSTED, m.trust(id));
    Path unsigned = keys.bundle("t.update");
    PluginException e = assertThrows(PluginException.class, () -> m.update(String.valueOf(id), unsigned.toString()));
    assertTrue(e.getMessage().contains("it is unsigned, below the trust policy's minimum 'signed'"), e::getMessage);
    assertEquals(TrustLevel.TRUSTED, m.trust(id), "the plugin is as it was");
    Path byAlice = keys.sign(unsigned, TestKeys.Shared.ALICE, "alice");
    m.update(String.valueOf(id), byAlice.toString());
    assertEquals(TrustLevel.SIGNED, m.trust(id), "the level of the jar it was updated from");
    assertEquals("CN=Alice,O=Example", m.signer(id).orElseThrow().subject());
  }

  @Test
  void aForcedInstallIsAdmittedByThePolicyToo() throws Exception {
    PluginManagerImpl m = manager(trust(context, "signed"));
    Path unsigned = keys.bundle("t.forced");
    PluginException e = assertThrows(PluginException.class, () -> m.install(unsigned.toString(), InstallOption.FORCE));
    assertTrue(e.getMessage().startsWith("Cannot install " + unsigned + ": it is unsigned, below the trust policy's"
        + " minimum 'signed'"), e::getMessage);
    Path tampered = keys.rewrite(keys.sign(keys.bundle("t.added"), TestKeys.Shared.ALICE, "alice"), "added",
        (n, b) -> b, Map.of("x/Evil.class", new byte[] {1}));
    PluginException t = assertThrows(PluginException.class, () -> m.install(tampered.toString(), InstallOption.FORCE));
    assertTrue(t.getMessage().contains("the entry x/Evil.class is not signed: it was added after signing"),
        t::getMessage);
    assertEquals(List.of(), installed());
  }

  @Test
  void whatAPlanTakesFromTheRepositoryIsAdmittedByThePolicyAndARefusalUndoesThePlan() throws Exception {
    // databind, signed by trusted Bob, needs jackson-core and -annotations: the repository's are unsigned.
    Path databind = keys.sign(PlannerTest.DATABIND, TestKeys.Shared.BOB, "bob");
    PluginManagerImpl m = manager(trustingBob("trusted"));
    PluginException e = assertThrows(PluginException.class,
        () -> m.execute(Change.install("test", List.of(databind.toString()))));
    assertTrue(e.getMessage().contains("from " + PlannerTest.JACKSON) && e.getMessage().contains(
        "is refused: it is unsigned, below the trust policy's minimum 'trusted'"), e::getMessage);
    assertTrue(e.getMessage().contains("Everything was put back as it was"), e::getMessage);
    assertEquals(List.of(), installed());
  }

  @Test
  void theRuntimesOwnRepositoryIsPartOfTheInstallationButATamperedJarThereIsRefused() throws Exception {
    Path system = Files.createDirectories(home.resolve("system/io/example/t.system/1.0.0"));
    Path jar = Files.copy(keys.bundle("t.system"), system.resolve("t.system-1.0.0.jar"));
    PluginManagerImpl m = manager(trust(context, "trusted"));
    long id = m.execute(Change.install("test", List.of(jar.toString()))).bundles().get(0);
    assertEquals(TrustLevel.UNSIGNED, m.trust(id), "its level is what it is; the policy lets it in");
    Path tampered = keys.replace(keys.sign(keys.bundle("t.system2"), TestKeys.Shared.BOB, "bob"), "x/notes.txt",
        b -> TestKeys.utf8("changed"));
    Path inSystem = Files.copy(tampered, system.resolve("t.system2-1.0.0.jar"));
    PluginException e = assertThrows(PluginException.class,
        () -> m.execute(Change.install("test", List.of(inSystem.toString()))));
    assertTrue(e.getMessage().contains("its signature is broken"), e::getMessage);
  }

  @Test
  void theLevelFollowsTheTrustStoreAndSurvivesARestart() throws Exception {
    Trust trust = trust(context, "unsigned");
    PluginManagerImpl m = manager(trust);
    Path signed = keys.sign(keys.bundle("t.bob"), TestKeys.Shared.BOB, "bob");
    long id = m.execute(Change.install("test", List.of(signed.toString()))).bundles().get(0);
    assertEquals(TrustLevel.SIGNED, m.trust(id));
    trust.add("bob", bob);
    assertEquals(TrustLevel.TRUSTED, m.trust(id), "trusted at once");
    assertEquals(TrustLevel.TRUSTED, m.find("t.bob").orElseThrow().trust());
    // The jar it was installed from is gone: the signer was kept when it was installed.
    Files.delete(signed);
    Files.delete(home.resolve("data/plugins/store/" + id + ".jar"));
    PluginManagerImpl again = manager(trust(context, "unsigned"));
    assertEquals(TrustLevel.TRUSTED, again.trust(id));
    trust.remove(Certificates.fingerprint(bob));
    assertEquals(TrustLevel.SIGNED, again.trust(id), "signed again once Bob is no longer trusted");
  }

  @Test
  void theTrustStoreIsAPkcs12FileOnlyItsOwnerReadsWithTheDocumentedPassword() throws Exception {
    Trust trust = trust(context, "unsigned");
    trust.add(null, bob);
    Path file = home.resolve("etc/trust.p12");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(file)) {
      ks.load(in, "dockevos".toCharArray());
    }
    assertEquals(List.of("bob"), java.util.Collections.list(ks.aliases()), "the alias comes from the common name");
    assertTrue(ks.isCertificateEntry("bob"));
    assertEquals(bob, ks.getCertificate("bob"));
    IllegalArgumentException twice = assertThrows(IllegalArgumentException.class, () -> trust.add("other", bob));
    assertTrue(twice.getMessage().contains("is trusted already, as bob"), twice::getMessage);
  }

  @Test
  void aTrustStoreThePasswordDoesNotOpenIsReportedAndLeftAsItIs() throws Exception {
    trust(context, "unsigned").add(null, bob);
    Path file = home.resolve("etc/trust.p12");
    byte[] before = Files.readAllBytes(file);
    Trust wrong = new Trust(context, config("trusted", "not-the-password"));
    assertTrue(wrong.store().problem().contains("the password does not open it"), wrong.store().problem());
    Path signed = keys.sign(keys.bundle("t.locked"), TestKeys.Shared.BOB, "bob");
    PluginException e = assertThrows(PluginException.class,
        () -> manager(wrong).execute(Change.install("test", List.of(signed.toString()))));
    assertTrue(e.getMessage().contains("the trust store " + file + " cannot be read"), e::getMessage);
    java.io.IOException refused = assertThrows(java.io.IOException.class,
        () -> wrong.add(null, TestKeys.certificate(TestKeys.Shared.ALICE, "alice")));
    assertTrue(refused.getMessage().contains("it is left as it is"), refused::getMessage);
    assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(file)), "the file is as it was");
  }

  @Test
  void aPolicyThatCannotBeReadInstallsNothingAndSaysWhy() throws Exception {
    PluginManagerImpl m = manager(trust(context, "trustd"));
    Path unsigned = keys.bundle("t.typo");
    PluginException e = assertThrows(PluginException.class,
        () -> m.execute(Change.install("test", List.of(unsigned.toString()))));
    assertEquals("Cannot install " + unsigned + ": the trust policy cannot be read: minimumTrust 'trustd'"
        + " (configuration dockevos.trust, etc/dockevos.trust.cfg) is none of unsigned, signed, trusted; no plugin is"
        + " installed until it is fixed", e.getMessage());
  }
}
