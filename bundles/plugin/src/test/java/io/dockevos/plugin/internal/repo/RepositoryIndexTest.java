package io.dockevos.plugin.internal.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import aQute.bnd.osgi.repository.XMLResourceGenerator;
import aQute.bnd.osgi.resource.CapReqBuilder;
import io.dockevos.install.Repositories.Offer;
import io.dockevos.install.Repositories.RepositoryInfo;
import io.dockevos.plugin.PluginException;
import io.dockevos.plugin.Provider;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.resource.Capability;
import org.osgi.resource.Requirement;
import org.osgi.resource.Resource;

class RepositoryIndexTest {
  @TempDir Path tmp;
  Path system;
  Path maven;
  Path state;
  Path scr;
  Path cm;

  @BeforeEach
  void layout() throws Exception {
    system = tmp.resolve("system");
    maven = tmp.resolve("m2");
    state = tmp.resolve("data/plugins/repo");
    scr = TestBundles.maven(maven, "org.apache.felix", "org.apache.felix.scr", "2.2.18",
        TestBundles.real("org.apache.felix.scr-"));
    cm = TestBundles.maven(maven, "org.apache.felix", "org.apache.felix.configadmin", "1.9.26",
        TestBundles.real("org.apache.felix.configadmin-"));
    // skipped: a sources jar (even one with a manifest), and a plain jar that is no bundle
    Files.copy(scr, scr.resolveSibling("org.apache.felix.scr-2.2.18-sources.jar"));
    TestBundles.bundle(maven.resolve("com/example/plain/1.0/plain-1.0.jar"), null, null, null, null);
  }

  static Requirement pkg(String name, String range) {
    return new CapReqBuilder("osgi.wiring.package").addDirective("filter",
        aQute.bnd.osgi.resource.CapReqBuilder.createPackageRequirement(name, range).buildSyntheticRequirement()
            .getDirectives().get("filter")).buildSyntheticRequirement();
  }

  static Requirement req(String namespace, String filter) {
    return new CapReqBuilder(namespace).addDirective("filter", filter).buildSyntheticRequirement();
  }

  @Test
  void indexesTheBundlesOfTheMavenLayoutAndSkipsTheRest() {
    RepositoryIndex index = new RepositoryIndex(system, maven, state);
    List<RepositoryInfo> list = index.list();
    assertEquals(List.of("system", "maven-local"), list.stream().map(RepositoryInfo::name).toList());
    assertEquals(0, list.get(0).resources());
    assertEquals(2, list.get(1).resources(), "scr and configadmin; not the sources jar nor the plain jar");
    assertEquals(3, index.manifestReads(), "each jar is opened once; the sources jar, by its name, never");
    assertTrue(Files.isRegularFile(state.resolve("maven-local.idx")));
  }

  @Test
  void findsAPackageProviderWithinAVersionRange() {
    RepositoryIndex index = new RepositoryIndex(system, maven, state);
    List<Capability> found = index.findProviders(pkg("org.osgi.service.cm", "[1.6,2)"));
    assertEquals(1, found.size());
    Resource r = found.get(0).getResource();
    assertEquals("org.apache.felix.configadmin", RepositoryIndex.identity(r)[0]);
    assertEquals(cm.toAbsolutePath().toString(), index.source(r));
    assertEquals(cm.resolveSibling("org.apache.felix.configadmin-1.9.26.pom"), index.pom(r).orElseThrow());
    Provider p = index.provider(r);
    assertEquals(Provider.Kind.MAVEN, p.kind());
    assertEquals("mvn:org.apache.felix/org.apache.felix.configadmin/1.9.26", p.source());
    assertEquals("maven-local", index.repository(r));

    assertTrue(index.findProviders(pkg("org.osgi.service.cm", "[1.7,2)")).isEmpty(), "1.6.0 is below 1.7");
    assertTrue(index.findProviders(pkg("org.example.none", "[1,2)")).isEmpty());
    // a filter that does not pin the package name is matched against every package capability
    assertEquals(2, index.findProviders(req("osgi.wiring.package", "(osgi.wiring.package=org.apache.felix.scr.*)"))
        .size());
    assertEquals(1, index.findProviders(req("osgi.identity", "(osgi.identity=org.apache.felix.scr)")).size());
    assertTrue(index.findProviders(req("osgi.wiring.package", "(osgi.wiring.package=x)")) instanceof java.util.ArrayList,
        "the resolver may change the list it gets");
    assertThrows(IllegalArgumentException.class, () -> index.findProviders(req("osgi.wiring.package", "(broken")));
  }

  @Test
  void aWarmStartReadsOnlyTheJarsThatChanged() throws Exception {
    new RepositoryIndex(system, maven, state).refresh();

    RepositoryIndex warm = new RepositoryIndex(system, maven, state);
    assertEquals(1, warm.findProviders(pkg("org.osgi.service.cm", "[1.6,2)")).size());
    assertEquals(0, warm.manifestReads(), "nothing changed: every resource comes from the index on disk");
    warm.refresh();
    assertEquals(0, warm.manifestReads());

    // configadmin's jar is replaced in place by another bundle: only it is read again
    TestBundles.bundle(cm, "org.apache.felix.configadmin", "1.9.27", "org.osgi.service.cm;version=1.7.0", null);
    Files.setLastModifiedTime(cm, FileTime.fromMillis(System.currentTimeMillis() + 5_000));
    warm.refresh();
    assertEquals(1, warm.manifestReads());
    List<Capability> found = warm.findProviders(pkg("org.osgi.service.cm", "[1.7,2)"));
    assertEquals(1, found.size());
    assertEquals("1.9.27", RepositoryIndex.identity(found.get(0).getResource())[1]);

    // a new jar is found, a removed one is gone
    TestBundles.bundle(maven.resolve("org/example/api/1.0.0/api-1.0.0.jar"), "org.example.api", "1.0.0",
        "org.example.api;version=1.0.0", null);
    Files.delete(scr);
    warm.refresh();
    assertEquals(2, warm.manifestReads());
    assertEquals(1, warm.findProviders(pkg("org.example.api", "[1,2)")).size());
    assertTrue(warm.findProviders(pkg("org.apache.felix.scr.info", "[1,2)")).isEmpty());

    // and the next start sees the same, reading nothing
    RepositoryIndex next = new RepositoryIndex(system, maven, state);
    assertEquals(1, next.findProviders(pkg("org.example.api", "[1,2)")).size());
    assertEquals(2, next.list().get(1).resources());
    assertEquals(0, next.manifestReads());
  }

  @Test
  void aDamagedCacheIsBuiltAgain() throws Exception {
    new RepositoryIndex(system, maven, state).refresh();
    Files.writeString(state.resolve("maven-local.idx"), "DKRX, cut short");
    RepositoryIndex index = new RepositoryIndex(system, maven, state);
    assertEquals(2, index.list().get(1).resources());
    assertEquals(3, index.manifestReads());
  }

  @Test
  void systemJarsAreOfferedAsTheFeaturesThatNameThem() throws Exception {
    TestBundles.maven(system, "org.apache.felix", "org.apache.felix.scr", "2.2.18",
        TestBundles.real("org.apache.felix.scr-"));
    TestBundles.bundle(system.resolve("org/example/tool/1.0.0/tool-1.0.0.jar"), "org.example.tool", "1.0.0",
        "org.example.tool;version=1.0.0", null);
    Files.createDirectories(system.resolve("features"));
    Files.writeString(system.resolve("features/dockevos-ds.json"),
        "{\"id\":\"io.dockevos:ds:1\",\"bundles\":[{\"id\":\"org.apache.felix:org.apache.felix.scr:2.2.18\"}]}");
    RepositoryIndex index = new RepositoryIndex(system, maven, state);

    List<Capability> scrs = index.findProviders(pkg("org.apache.felix.scr.info", "[1,2)"));
    assertEquals(2, scrs.size(), "system/ first, then the local Maven repository");
    Provider feature = index.provider(scrs.get(0).getResource());
    assertEquals(Provider.Kind.FEATURE, feature.kind());
    assertEquals("dockevos-ds", feature.source());
    assertEquals(Provider.Kind.MAVEN, index.provider(scrs.get(1).getResource()).kind());

    Resource tool = index.findProviders(pkg("org.example.tool", "[1,2)")).get(0).getResource();
    Provider p = index.provider(tool);
    assertEquals(Provider.Kind.SYSTEM, p.kind());
    assertEquals("system/org/example/tool/1.0.0/tool-1.0.0.jar", p.location());
    assertEquals(system.resolve("org/example/tool/1.0.0/tool-1.0.0.jar").toAbsolutePath().toString(),
        index.source(tool));
  }

  /** Writes an R5 index of one tiny bundle at {@code dir/bundles/}, its URL relative to the index. */
  Path index(Path dir, String name, boolean gzip) throws Exception {
    Path jar = TestBundles.bundle(dir.resolve("bundles/remote-1.0.0.jar"), "org.example.remote", "1.0.0",
        "org.example.remote;version=1.2.0", "org.example.api;version=\"[1,2)\"");
    Resource r = FolderRepositoryAccess.read(jar);
    Path file = dir.resolve(gzip ? "index.xml.gz" : "index.xml");
    ByteArrayOutputStream xml = new ByteArrayOutputStream();
    new XMLResourceGenerator().name(name).base(dir.toUri()).resource(r).save(xml);
    try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(file)) : Files.newOutputStream(file)) {
      out.write(xml.toByteArray());
    }
    assertTrue(xml.toString().contains("value=\"bundles/remote-1.0.0.jar\""), xml.toString());
    return file;
  }

  @Test
  void aRegisteredIndexIsSearchedInstalledFromAndRemembered() throws Exception {
    Path file = index(tmp.resolve("remote"), "remote-repo", true);
    RepositoryIndex index = new RepositoryIndex(system, maven, state);
    RepositoryInfo added = index.add(file.toString());
    assertEquals(new RepositoryInfo("remote-repo", file.toAbsolutePath().toString(), 1), added);
    PluginException twice = assertThrows(PluginException.class, () -> index.add(file.toString()));
    assertTrue(twice.getMessage().contains("already registered"), twice.getMessage());

    List<Capability> found = index.findProviders(pkg("org.example.remote", "[1.2,2)"));
    assertEquals(1, found.size());
    Resource r = found.get(0).getResource();
    assertTrue(index.source(r).startsWith("file:"), index.source(r));
    assertEquals(tmp.resolve("remote/bundles/remote-1.0.0.jar"), Path.of(java.net.URI.create(index.source(r))),
        "the bundle's URL, resolved against the index's");
    assertEquals(Provider.Kind.INDEX, index.provider(r).kind());
    assertEquals("remote-repo", index.repository(r));

    RepositoryIndex restarted = new RepositoryIndex(system, maven, state);
    assertEquals(List.of("system", "maven-local", "remote-repo"),
        restarted.list().stream().map(RepositoryInfo::name).toList());
    assertEquals(1, restarted.list().get(2).resources());
    assertEquals(1, restarted.search("osgi.wiring.package", "(osgi.wiring.package=org.example.remote)").size());

    assertEquals("remote-repo", restarted.remove("remote-repo").name());
    assertTrue(restarted.findProviders(pkg("org.example.remote", "[1,2)")).isEmpty());
    assertEquals(2, new RepositoryIndex(system, maven, state).list().size());
    assertThrows(PluginException.class, () -> restarted.remove("remote-repo"));
    assertThrows(PluginException.class, () -> restarted.remove("maven-local"));
  }

  @Test
  void aPlainIndexIsNamedAfterItsFileWhenItHasNoName() throws Exception {
    Path file = index(tmp.resolve("plain"), null, false);
    RepositoryIndex index = new RepositoryIndex(system, maven, state);
    assertEquals("index", index.add(file.toUri().toString()).name());
    assertEquals("index-2", index.add(index(tmp.resolve("other"), null, false).toString()).name());
  }

  @Test
  void aCorruptIndexIsNamedInTheError() throws Exception {
    Path file = index(tmp.resolve("bad"), "bad", false);
    String xml = Files.readString(file);
    Files.writeString(file, xml.replaceFirst("</capability>", "</capabilit>"));
    RepositoryIndex index = new RepositoryIndex(system, maven, state);
    PluginException e = assertThrows(PluginException.class, () -> index.add(file.toString()));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertTrue(e.getMessage().matches("(?s).*line \\d+.*"), e.getMessage());
    assertEquals(2, index.list().size(), "not registered");

    PluginException missing = assertThrows(PluginException.class, () -> index.add(tmp.resolve("none.xml").toString()));
    assertTrue(missing.getMessage().contains("none.xml"), missing.getMessage());
    assertFalse(Files.exists(state.resolve("indexes.json")));
  }

  @Test
  void searchesByTextAndByRequirement() {
    RepositoryIndex index = new RepositoryIndex(system, maven, state);
    List<Offer> byName = index.search("SCR");
    assertEquals(1, byName.size());
    Offer scrOffer = byName.get(0);
    assertEquals("org.apache.felix.scr", scrOffer.symbolicName());
    assertEquals("2.2.18", scrOffer.version());
    assertEquals("maven-local", scrOffer.repository());
    assertEquals(scr.toAbsolutePath().toString(), scrOffer.source());
    assertTrue(scrOffer.provides().contains("package org.apache.felix.scr.info 1.0.0"), scrOffer.provides().toString());
    assertTrue(scrOffer.provides().contains("osgi.extender osgi.component 1.5.0"), scrOffer.provides().toString());

    assertEquals(List.of("org.apache.felix.configadmin"),
        index.search("service.cm").stream().map(Offer::symbolicName).toList(), "by exported package");
    assertEquals(2, index.search("").size());

    List<Offer> byReq = index.search("osgi.wiring.package",
        "(&(osgi.wiring.package=org.osgi.service.cm)(version>=1.6.0)(!(version>=2.0.0)))");
    assertEquals(List.of("org.apache.felix.configadmin"), byReq.stream().map(Offer::symbolicName).toList());
    assertEquals(List.of("org.apache.felix.scr"), index.search("osgi.extender", "(osgi.extender=osgi.component)")
        .stream().map(Offer::symbolicName).toList());
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
        () -> index.search("osgi.wiring.package", "(oops"));
    assertTrue(bad.getMessage().contains("(oops"), bad.getMessage());
  }

  @Test
  void theNamespaceValueIsTakenOnlyWhenTheFilterPinsIt() {
    String ns = "osgi.wiring.package";
    assertEquals("a.b", RepositoryIndex.value(ns, "(osgi.wiring.package=a.b)"));
    assertEquals("a.b", RepositoryIndex.value(ns, "(&(osgi.wiring.package=a.b)(version>=1.0.0)(!(version>=2.0.0)))"));
    assertEquals("a.b", RepositoryIndex.value(ns, "(&(version>=1.0.0)(osgi.wiring.package=a.b))"));
    assertNull(RepositoryIndex.value(ns, "(|(osgi.wiring.package=a.b)(osgi.wiring.package=c))"));
    assertNull(RepositoryIndex.value(ns, "(&(!(osgi.wiring.package=a.b))(version>=1.0.0))"));
    assertNull(RepositoryIndex.value(ns, "(osgi.wiring.package=a.*)"));
    assertNull(RepositoryIndex.value(ns, "(osgi.wiring.packagex=a)"));
  }

  @Test
  void concurrentQueriesSeeOneIndex() throws Exception {
    RepositoryIndex index = new RepositoryIndex(system, maven, state);
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      List<java.util.concurrent.Future<Integer>> results = new java.util.ArrayList<>();
      for (int i = 0; i < 8; i++) {
        results.add(pool.submit(() -> index.findProviders(pkg("org.osgi.service.cm", "[1.6,2)")).size()));
      }
      for (java.util.concurrent.Future<Integer> f : results) {
        assertEquals(1, f.get());
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(3, index.manifestReads(), "the first load happened once");
  }
}
