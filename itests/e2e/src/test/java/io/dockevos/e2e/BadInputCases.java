package io.dockevos.e2e;

import static io.dockevos.test.tiny.TinyBundles.FRAGMENT;
import static io.dockevos.test.tiny.TinyBundles.GOOD_1;
import static io.dockevos.test.tiny.TinyBundles.NEEDS_MISSING;
import static io.dockevos.test.tiny.TinyBundles.REQUIRES_FUTURE_HOST;
import static io.dockevos.test.tiny.TinyBundles.REQUIRES_MISSING_FEATURE;
import static io.dockevos.test.tiny.TinyBundles.THROWS;

import io.dockevos.test.tiny.TinyBundles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The cases of {@link BadInputCorpusIT}: each is one bad input, how it is presented to the runtime,
 * and the words its answer must hold.
 *
 * <p>A case's command, input and causes are templates: {@code ${file}} is the bad file the case
 * makes (written to a temporary folder outside the home), {@code ${jars}} the folder of the tiny
 * bundles, {@code ${home}} the distribution, {@code ${base}} the loopback test server ({@code
 * http://127.0.0.1:PORT/}) and {@code ${garbageSha}} the SHA-256 of what its {@code /garbage.jar}
 * sends.
 */
final class BadInputCases {
  private BadInputCases() {}

  /** How a case's input reaches the runtime. */
  enum Way {
    /** {@code bin/dockevos client COMMAND}: exit status 1, standard error starts with "Error: ". */
    CLIENT,
    /** {@code bin/dockevos client ARGS} refused by the client itself: exit status 2, nothing sent. */
    USAGE,
    /** The file is dropped into {@code deploy/}; the answer is its {@code .failed} marker. */
    DEPLOY
  }

  /**
   * One bad input.
   *
   * @param name what the report shows
   * @param file the name of the bad file the case makes, or {@code null}
   * @param content the bad file's bytes, or {@code null}
   * @param command the client's command (CLIENT, USAGE); {@code null} for DEPLOY
   * @param input how the answer names the input
   * @param causes words of the cause that the answer must hold
   * @param changes paths under {@code data/} that this case changes legitimately, besides those
   *     every case may change (prefixes; {@code ${actionId}} is the action plugin's bundle ID)
   */
  record Case(String name, Way way, String file, Supplier<byte[]> content, String command, String input,
      List<String> causes, List<String> changes) {
    @Override
    public String toString() {
      return name;
    }

    Case changing(String... paths) {
      return new Case(name, way, file, content, command, input, causes, List.of(paths));
    }
  }

  static Case client(String name, String command, String input, String... causes) {
    return new Case(name, Way.CLIENT, null, null, command, input, List.of(causes), List.of());
  }

  /** A client command about a bad file that the case writes first: {@code ${file}} names it. */
  static Case clientFile(String name, String file, Supplier<byte[]> content, String command, String input,
      String... causes) {
    return new Case(name, Way.CLIENT, file, content, command, input, List.of(causes), List.of());
  }

  static Case usage(String name, String command, String input, String... causes) {
    return new Case(name, Way.USAGE, null, null, command, input, List.of(causes), List.of());
  }

  /** A file dropped into deploy/: its marker names it as {@code deploy/FILE}. */
  static Case deploy(String name, String file, Supplier<byte[]> content, String... causes) {
    return new Case(name, Way.DEPLOY, file, content, null, "deploy/" + file, List.of(causes), List.of());
  }

  // ---- content ---------------------------------------------------------------------------------------

  static Supplier<byte[]> tiny(String name) {
    return () -> {
      try (InputStream in = TinyBundles.open(name)) {
        return in.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    };
  }

  static Supplier<byte[]> text(String s) {
    return () -> s.getBytes(StandardCharsets.UTF_8);
  }

  static Supplier<byte[]> bytes(byte... b) {
    return () -> b.clone();
  }

  static Supplier<byte[]> random(int size, long seed) {
    return () -> {
      byte[] b = new byte[size];
      new Random(seed).nextBytes(b);
      return b;
    };
  }

  /** The first half of a tiny bundle: a zip whose central directory is missing. */
  static Supplier<byte[]> truncated(String tiny) {
    return () -> {
      byte[] jar = tiny(tiny).get();
      return Arrays.copyOf(jar, jar.length / 2);
    };
  }

  /** Binary junk, with a NUL byte and bytes that are no text. */
  static Supplier<byte[]> junk() {
    return () -> {
      byte[] b = new byte[160];
      for (int i = 0; i < b.length; i++) {
        b[i] = (byte) new byte[] {0, 1, 2, (byte) 0xff, (byte) 0xfe, 10, 0, 7}[i % 8];
      }
      return b;
    };
  }

  /** A zip with the entries given as name, text, name, text, ... */
  static Supplier<byte[]> zip(String... entries) {
    return () -> {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (ZipOutputStream zip = new ZipOutputStream(out)) {
        for (int i = 0; i < entries.length; i += 2) {
          zip.putNextEntry(new ZipEntry(entries[i]));
          zip.write(entries[i + 1].getBytes(StandardCharsets.UTF_8));
          zip.closeEntry();
        }
        if (entries.length == 0) {
          zip.setComment("no entries");
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return out.toByteArray();
    };
  }

  /**
   * A bundle that is nothing but a manifest: {@code Bundle-ManifestVersion: 2} and the headers given
   * as name, value, ...; a value of {@code null} leaves a header out.
   */
  static Supplier<byte[]> bundle(String... headers) {
    return () -> {
      Manifest mf = new Manifest();
      Attributes main = mf.getMainAttributes();
      main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
      main.putValue("Bundle-ManifestVersion", "2");
      for (int i = 0; i < headers.length; i += 2) {
        if (headers[i + 1] == null) {
          main.remove(new Attributes.Name(headers[i]));
        } else {
          main.putValue(headers[i], headers[i + 1]);
        }
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (JarOutputStream jar = new JarOutputStream(out, mf)) {
        // the manifest is all
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return out.toByteArray();
    };
  }

  /** {@link #bundle} with a symbolic name and version 1.0.0 before the headers given. */
  static Supplier<byte[]> named(String symbolicName, String... headers) {
    List<String> all = new ArrayList<>(List.of("Bundle-SymbolicName", symbolicName, "Bundle-Version", "1.0.0"));
    all.addAll(List.of(headers));
    return bundle(all.toArray(String[]::new));
  }

  // ---- the corpus ------------------------------------------------------------------------------------

  static List<Case> all() {
    List<Case> c = new ArrayList<>();
    deployJars(c);
    deployConfigurations(c);
    deployFeatures(c);
    installs(c);
    lifecycle(c);
    actions(c);
    features(c);
    configurations(c);
    shell(c);
    return c;
  }

  private static void deployJars(List<Case> c) {
    c.add(deploy("deploy: a zero-byte .jar", "zero.jar", bytes(), "is not a valid jar (zip) file", "empty"));
    c.add(deploy("deploy: a text file named .jar", "text.jar", text("I am not a zip file\n"),
        "is not a valid jar (zip) file"));
    c.add(deploy("deploy: random bytes named .jar", "random.jar", random(4096, 17), "is not a valid jar (zip) file"));
    c.add(deploy("deploy: a truncated jar", "truncated.jar", truncated(GOOD_1), "is not a valid jar (zip) file"));
    c.add(deploy("deploy: a zip with no entries", "empty-zip.jar", zip(), "without META-INF/MANIFEST.MF",
        "not an OSGi bundle"));
    c.add(deploy("deploy: a jar without a manifest", "no-manifest.jar", zip("a.txt", "x"),
        "without META-INF/MANIFEST.MF", "not an OSGi bundle"));
    c.add(deploy("deploy: a manifest with a line that is no header", "bad-syntax.jar",
        zip("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\nthis line has no colon\r\n\r\n"),
        "manifest that cannot be read", "line 2"));
    c.add(deploy("deploy: a jar with no Bundle-SymbolicName", "not-a-bundle.jar", bundle("Created-By", "corpus"),
        "not an OSGi bundle", "no Bundle-SymbolicName"));
    c.add(deploy("deploy: a Bundle-SymbolicName with a space", "bad-bsn.jar", named("bad name!"),
        "Bundle-SymbolicName 'bad name!' is not a valid symbolic name"));
    c.add(deploy("deploy: a Bundle-SymbolicName that is a path", "path-bsn.jar", named("../../x/victim"),
        "Bundle-SymbolicName '../../x/victim' is not a valid symbolic name"));
    c.add(deploy("deploy: a Bundle-Version that is words", "bad-version.jar",
        bundle("Bundle-SymbolicName", "t.corpus.badversion", "Bundle-Version", "one.two"),
        "invalid Bundle-Version", "one.two"));
    c.add(deploy("deploy: Bundle-ManifestVersion 7", "manifest-version.jar",
        named("t.corpus.mv", "Bundle-ManifestVersion", "7"), "Bundle-ManifestVersion: 7",
        "needs Bundle-ManifestVersion: 2"));
    c.add(deploy("deploy: the bystander's symbolic name and version again", "duplicate.jar", tiny(GOOD_1),
        "io.dockevos.test.good 1.0.0", "can be installed once"));
    c.add(deploy("deploy: a package imported twice", "duplicate-import.jar",
        named("t.corpus.dupimport", "Import-Package", "org.osgi.framework, org.osgi.framework"),
        "Import-Package is malformed", "the package org.osgi.framework is imported twice"));
    c.add(deploy("deploy: an import that nothing exports", "needs-missing.jar", tiny(NEEDS_MISSING),
        "cannot resolve", "io.dockevos.test.missing"));
    c.add(deploy("deploy: a capability that nothing provides", "capability.jar",
        named("t.corpus.reqcap", "Require-Capability", "t.corpus.nowhere;filter:=\"(x=1)\""),
        "requires capability t.corpus.nowhere", "which no installed bundle provides"));
    c.add(deploy("deploy: a Require-Capability filter that does not parse", "bad-filter.jar",
        named("t.corpus.badfilter", "Require-Capability", "t.ns;filter:=\"(x=1\""),
        "Require-Capability is malformed", "'(x=1' is not a filter"));
    c.add(deploy("deploy: a Require-Bundle of a bundle that is nowhere", "require-bundle.jar",
        named("t.corpus.reqbundle", "Require-Bundle", "t.corpus.nosuchbundle"),
        "requires bundle t.corpus.nosuchbundle", "which no installed bundle provides"));
    c.add(deploy("deploy: a fragment whose host is missing", "fragment.jar", tiny(FRAGMENT),
        "io.dockevos.test.fragmenthost"));
    c.add(deploy("deploy: an activator class that is not in the jar", "no-activator.jar",
        named("t.corpus.noactivator", "Bundle-Activator", "t.corpus.noactivator.Missing"),
        "failed to start", "t.corpus.noactivator.Missing"));
    c.add(deploy("deploy: an activator that throws", "throws.jar", tiny(THROWS), "failed to start",
        "tiny bundle refuses to start"));
    c.add(deploy("deploy: a bundle for a future dockevOS", "future-host.jar", tiny(REQUIRES_FUTURE_HOST),
        "dockevOS host [99,", "this host is 0.1.0"));
    c.add(deploy("deploy: an Import-Package version range not closed", "bad-range.jar",
        named("t.corpus.badrange", "Import-Package", "org.foo;version=\"[1,2\""),
        "Import-Package is malformed", "'[1,2' is not a version range"));
    c.add(deploy("deploy: an Export-Package version that is words", "bad-export.jar",
        named("t.corpus.badexport", "Export-Package", "t.corpus.p;version=abc"),
        "Export-Package is malformed", "'abc' is not a version"));
    c.add(deploy("deploy: a Fragment-Host version range not closed", "bad-host.jar",
        named("t.corpus.badhost", "Fragment-Host", "t.corpus.host;bundle-version=\"[1,\""),
        "Fragment-Host is malformed", "is not a version range"));
    c.add(deploy("deploy: a bundle that requires a feature that is nowhere", "missing-feature.jar",
        tiny(REQUIRES_MISSING_FEATURE), "no-such-feature"));
  }

  private static void deployConfigurations(List<Case> c) {
    c.add(deploy("deploy: a .cfg of binary junk", "junk.pid.cfg", junk(), "is not a valid configuration",
        "it is not text: line 1 holds the byte 0x00"));
    c.add(deploy("deploy: a .cfg with a broken \\u escape", "escape.pid.cfg", text("# one\nb = 2\na = \\u12G4\n"),
        "is not a valid configuration", "Malformed \\uxxxx encoding", "(line 3: \\u12G4 is not \\u and four hex digits"));
    c.add(deploy("deploy: a .json configuration that ends early", "early.pid.json", text("{\"a\": 1,\n \"b\": "),
        "is not a valid configuration", "not valid JSON: it ends early, after line 2"));
    c.add(deploy("deploy: a .json configuration that is an array", "array.pid.json", text("[1, 2, 3]"),
        "is not a valid configuration", "no root object"));
    c.add(deploy("deploy: a .json configuration of NUL bytes", "nul.pid.json", text("\u0000\u0001garbage"),
        "is not a valid configuration", "not valid JSON: line 1, column 1"));
    c.add(deploy("deploy: a .config whose integer is words", "typed.pid.config", text("k = I\"abc\"\n"),
        "is not a valid configuration", "a value is not a number of the type its letter gives", "\"abc\""));
  }

  private static void deployFeatures(List<Case> c) {
    c.add(deploy("deploy: a feature file that ends early", "early-feature.json",
        text("{\"id\": \"t.corpus:early:1.0\", \"bundles\": [ {\"id\": \"x:y:1\""),
        "not valid JSON: it ends early, after line 1"));
    c.add(deploy("deploy: a feature whose id is a number", "number-feature.json",
        text("{\"feature-resource-version\": \"1.0\", \"id\": 5, \"bundles\": []}"),
        "field id is the number 5; it must be a string"));
    c.add(deploy("deploy: a feature whose id is no Maven ID", "words-feature.json",
        text("{\"feature-resource-version\": \"1.0\", \"id\": \"not a maven id\", \"bundles\": []}"),
        "\"not a maven id\", which is not a Maven ID"));
    c.add(deploy("deploy: a feature with a field no feature has", "field-feature.json",
        text("{\"feature-resource-version\": \"1.0\", \"id\": \"t.corpus:field:1.0\", \"bundlez\": []}"),
        "field bundlez is not a field of a feature"));
    c.add(deploy("deploy: a feature of a bundle that is nowhere", "nowhere-feature.json",
        text("{\"id\": \"t.corpus:nowhere:1.0\", \"bundles\": [ {\"id\": \"io.dockevos.none:nothing:9.9.9\"} ]}"),
        "bundle io.dockevos.none:nothing:9.9.9 is neither in", "Nothing was installed"));
    c.add(deploy("deploy: a feature with the boot feature's id", "boot-feature.json",
        text("{\"id\": \"io.dockevos:dockevos-core:0.1.0-SNAPSHOT\", \"bundles\": [ {\"id\":"
            + " \"io.dockevos.none:nothing:9.9.9\"} ]}"),
        "is the boot feature's", "cannot be replaced"));
  }

  private static void installs(List<Case> c) {
    String cannot = "Cannot install ${file}: ";
    c.add(client("install: a file that is not there", "plugin:install ${home}/../nope.jar", "${home}/../nope.jar",
        "there is no file"));
    c.add(client("install: a relative path that is not there", "plugin:install nope/nope.jar", "nope/nope.jar",
        "there is no file ${home}/nope/nope.jar", "a relative path is read from the dockevOS home"));
    c.add(client("install: a directory", "plugin:install ${jars}", "${jars}", "is a directory, not a regular file"));
    c.add(client("install: /dev/null", "plugin:install /dev/null", "/dev/null",
        "is a character device, not a regular file"));
    c.add(client("install: file:///dev/zero", "plugin:install file:///dev/zero", "file:///dev/zero",
        "/dev/zero is a character device, not a regular file"));
    c.add(client("install: a file: URL with a host", "plugin:install file://127.0.0.1/x.jar",
        "file://127.0.0.1/x.jar", "takes no host ('127.0.0.1')"));
    c.add(client("install: an unknown scheme", "plugin:install gopher://127.0.0.1/x.jar", "gopher://127.0.0.1/x.jar",
        "unknown kind of source 'gopher:'"));
    c.add(client("install: no source", "plugin:install ''", "source", "No source given"));
    c.add(client("install: mvn: with one part", "plugin:install mvn:corpus", "mvn:corpus",
        "these are not Maven coordinates", "1 part"));
    c.add(client("install: mvn: with colons", "plugin:install mvn:io.dockevos.none:none:1.0",
        "mvn:io.dockevos.none:none:1.0", "separated by '/', not ':'"));
    c.add(client("install: mvn: of an artifact that is nowhere", "plugin:install mvn:io.dockevos.none/nothing/9.9.9",
        "mvn:io.dockevos.none/nothing/9.9.9", "is in none of the repositories tried"));
    c.add(client("install: a --sha256 that is no digest", "plugin:install --sha256=xyz ${jars}/" + GOOD_1, "'xyz'",
        "--sha256 takes a SHA-256, 64 hex digits"));
    c.add(client("install: plain http without --insecure", "plugin:install --sha256=" + "0".repeat(64)
        + " ${base}jar", "${base}jar", "http: is not secure", "--insecure"));
    c.add(client("install: a URL without its --sha256", "plugin:install --insecure ${base}jar", "${base}jar",
        "--sha256="));
    c.add(client("install: a URL the server does not have (404)", "plugin:install --insecure --sha256="
        + "0".repeat(64) + " ${base}404.jar", "${base}404.jar", "404"));
    c.add(client("install: a URL whose server fails (500)", "plugin:install --insecure --sha256="
        + "0".repeat(64) + " ${base}500.jar", "${base}500.jar", "500"));
    c.add(client("install: a download that is not a jar", "plugin:install --insecure --sha256=${garbageSha}"
        + " ${base}garbage.jar", "${base}garbage.jar", "it is not a jar (zip) file, or it is damaged"));
    c.add(client("install: a download whose digest is not the one given", "plugin:install --insecure --sha256="
        + "ab".repeat(32) + " ${base}garbage.jar", "${base}garbage.jar", "ab".repeat(32), "${garbageSha}"));
    c.add(client("install: a server that sends headers, then nothing", "plugin:install --insecure --sha256="
        + "0".repeat(64) + " ${base}silent.jar", "${base}silent.jar", "no data came for 2 s"));
    c.add(client("install: a server that redirects to itself", "plugin:install --insecure --sha256="
        + "0".repeat(64) + " ${base}loop.jar", "${base}loop.jar", "redirect"));
    c.add(client("install: a Content-Length of 8 EiB", "plugin:install --insecure --sha256="
        + "0".repeat(64) + " ${base}huge.jar", "${base}huge.jar", "the server says it is " + Long.MAX_VALUE
        + " bytes", "more than 2 MiB"));
    c.add(client("install: a server that is not listening", "plugin:install --insecure --sha256="
        + "0".repeat(64) + " ${closed}x.jar", "${closed}x.jar", "the connection was refused"));
    c.add(clientFile("install: a zero-byte .jar", "zero.jar", bytes(), "plugin:install ${file}", "${file}",
        "it is not a jar (zip) file", "zip file is empty"));
    c.add(clientFile("install: a text file named .jar", "text.jar", text("I am not a zip file\n"),
        "plugin:install ${file}", "${file}", "it is not a jar (zip) file, or it is damaged"));
    c.add(clientFile("install: a jar without a manifest", "no-manifest.jar", zip("a.txt", "x"),
        "plugin:install ${file}", "${file}", "META-INF/MANIFEST.MF"));
    c.add(clientFile("install: a Bundle-SymbolicName with a space", "bad-bsn.jar", named("bad name!"),
        "plugin:install ${file}", cannot, "Bundle-SymbolicName", "'bad name!'", "not a valid symbolic name"));
    c.add(clientFile("install: a Bundle-Version that is words", "bad-version.jar",
        bundle("Bundle-SymbolicName", "t.corpus.badversion", "Bundle-Version", "one.two"),
        "plugin:install ${file}", "${file}", "Bundle-Version", "one.two"));
    c.add(clientFile("install: an activator that throws", "throws.jar", tiny(THROWS), "plugin:install ${file}",
        cannot, "its activator threw java.lang.IllegalStateException: tiny bundle refuses to start",
        "Everything was put back as it was"));
    c.add(clientFile("install: an activator class that is not in the jar", "no-activator.jar",
        named("t.corpus.noactivator", "Bundle-Activator", "t.corpus.noactivator.Missing"), "plugin:install ${file}",
        cannot, "t.corpus.noactivator.Missing", "Everything was put back as it was"));
    c.add(clientFile("install: an import that nothing exports", "needs-missing.jar", tiny(NEEDS_MISSING),
        "plugin:install ${file}", cannot, "no plan fits", "requires package io.dockevos.test.missing"));
    c.add(clientFile("install: a fragment whose host is missing", "fragment.jar", tiny(FRAGMENT),
        "plugin:install ${file}", cannot, "requires fragment host io.dockevos.test.fragmenthost"));
    c.add(clientFile("install: a bundle for a future dockevOS", "future-host.jar", tiny(REQUIRES_FUTURE_HOST),
        "plugin:install ${file}", cannot, "requires dockevOS host [99,", "it needs a newer dockevOS"));
    c.add(clientFile("install: the bystander again", "good.jar", tiny(GOOD_1), "plugin:install ${file}", cannot,
        "io.dockevos.test.good 1.0.0 is installed already"));
    c.add(clientFile("install: an Import-Package version range not closed", "bad-range.jar",
        named("t.corpus.badrange", "Import-Package", "org.foo;version=\"[1,2\""), "plugin:install ${file}", cannot,
        "Import-Package is malformed", "'[1,2' is not a version range"));
    c.add(clientFile("install: a package imported twice", "duplicate-import.jar",
        named("t.corpus.dupimport", "Import-Package", "org.osgi.framework, org.osgi.framework"),
        "plugin:install ${file}", cannot, "Import-Package is malformed",
        "the package org.osgi.framework is imported twice"));
    c.add(clientFile("install: a bundle that requires a feature that is nowhere", "missing-feature.jar",
        tiny(REQUIRES_MISSING_FEATURE), "plugin:install ${file}", cannot, "no-such-feature"));
  }

  private static void lifecycle(List<Case> c) {
    c.add(client("update: an id that is no plugin", "plugin:update 999999", "999999", "No plugin with id 999999"));
    c.add(client("update: a name that is no plugin", "plugin:update t.corpus.nosuch", "t.corpus.nosuch",
        "No plugin named t.corpus.nosuch"));
    c.add(client("update: the bystander from a file that is not there", "plugin:update io.dockevos.test.good"
        + " ${home}/../nope.jar", "${home}/../nope.jar", "there is no file"));
    c.add(client("update: the bystander from another plugin's jar", "plugin:update io.dockevos.test.good ${jars}/"
        + NEEDS_MISSING, "${jars}/" + NEEDS_MISSING, "that is io.dockevos.test.needsmissing, another plugin"));
    c.add(clientFile("update: a version whose activator is missing is rolled back", "action-2.jar",
        named("io.dockevos.test.action", "Bundle-Version", "2.0.0", "Bundle-Activator", "t.corpus.Missing"),
        "plugin:update io.dockevos.test.action ${file}", "io.dockevos.test.action", "t.corpus.Missing")
        // The action plugin is updated, fails to start and is put back: its bundle's revision in the
        // framework's cache, and the time in its signer record, are new (its ID, state and version are not).
        .changing("cache/bundle${actionId}/", "plugins/signers.json"));
    c.add(client("uninstall: an id that is no plugin", "plugin:uninstall 999999", "999999",
        "No plugin with id 999999"));
    c.add(client("uninstall: a name that is no plugin", "plugin:uninstall t.corpus.nosuch", "t.corpus.nosuch",
        "No plugin named t.corpus.nosuch"));
    c.add(client("uninstall: the system bundle", "plugin:uninstall 0", "0", "No plugin with id 0"));
    c.add(client("uninstall: a bundle of the runtime", "plugin:uninstall io.dockevos.core", "io.dockevos.core",
        "part of the runtime itself"));
    c.add(client("start: a name that is no plugin", "plugin:start t.corpus.nosuch", "t.corpus.nosuch",
        "No plugin named t.corpus.nosuch"));
    c.add(client("stop: a bundle of the runtime", "plugin:stop io.dockevos.core", "io.dockevos.core",
        "part of the runtime itself"));
    c.add(client("disable: a name that is no plugin", "plugin:disable t.corpus.nosuch", "t.corpus.nosuch",
        "No plugin named t.corpus.nosuch"));
    c.add(client("info: an id that is no plugin", "plugin:info 999999", "999999", "No plugin with id 999999"));
    // Typed without their scope, as a Felix or Karaf user does: the plugin manager's commands answer
    // (Felix's own printed "Bundle ID '99999' is invalid." with exit 0, and uninstall was feature:uninstall).
    c.add(client("install: an option it does not know", "plugin:install --bogus ${jars}/good-1.0.0.jar", "--bogus",
        "is no option of it"));
    c.add(client("unscoped start: an id that is no plugin", "start 999999", "999999", "No plugin with id 999999"));
    c.add(client("unscoped stop: an id that is no plugin", "stop 999999", "999999", "No plugin with id 999999"));
    c.add(client("unscoped uninstall: an id that is no plugin", "uninstall 999999", "999999",
        "No plugin with id 999999"));
    c.add(client("unscoped update: an id that is no plugin", "update 999999", "999999", "No plugin with id 999999"));
    c.add(client("unscoped install: a file: URL of no file", "install file:///t-corpus-nope.jar",
        "file:///t-corpus-nope.jar", "there is no file /t-corpus-nope.jar"));
  }

  private static void actions(List<Case> c) {
    String echo = "plugin:execute io.dockevos.test.action echo ";
    c.add(client("execute: a plugin that is not there", "plugin:execute t.corpus.nosuch echo", "t.corpus.nosuch",
        "with actions", "plugin:actions shows them all"));
    c.add(client("execute: a plugin without actions", "plugin:execute io.dockevos.test.good echo",
        "io.dockevos.test.good", "with actions"));
    c.add(client("execute: an action the plugin does not have", "plugin:execute io.dockevos.test.action nope",
        "nope", "io.dockevos.test.action has no action nope", "it has [echo]"));
    c.add(client("execute: without its required input", echo.strip(), "action:echo", "'text'", "required"));
    c.add(client("execute: a misspelt field", echo + "txt=hi", "'txt'", "'text'", "required",
        "it has no field 'txt' (its fields: text)"));
    c.add(client("execute: a number where text is wanted", echo + "'{\"text\": 5}'", "'text'",
        "Invalid input for action:echo", "should be [string]"));
    c.add(client("execute: JSON that ends early", echo + "'{\"text\": '", "action:echo", "is not a JSON object"));
    c.add(client("execute: a JSON array", echo + "'[1,2]'", "'[1,2]'", "key=value words or one JSON object"));
    c.add(client("execute: a word without =", echo + "noequals", "'noequals'", "key=value words or one JSON object"));
    c.add(client("execute: a --timeout that is words", echo + "text=hi --timeout=abc", "--timeout=abc",
        "is not a number of seconds above 0"));
    c.add(client("execute: a negative --timeout", echo + "text=hi --timeout=-5", "--timeout=-5",
        "is not a number of seconds above 0"));
    c.add(client("execute: a --timeout of 0", echo + "text=hi --timeout=0", "--timeout=0",
        "is not a number of seconds above 0"));
    c.add(client("execute: the action's own command without its input", "action:echo", "action:echo", "'text'",
        "required"));
    c.add(client("execute: no arguments", "plugin:execute", "plugin:execute", "needs arguments"));
  }

  private static void features(List<Case> c) {
    String cannot = "Cannot add repository ";
    c.add(client("feature: install one that is nowhere", "feature:install t-corpus-nosuch", "t-corpus-nosuch",
        "No feature named t-corpus-nosuch", "Available:"));
    c.add(client("feature: uninstall one that is not installed", "feature:uninstall t-corpus-nosuch",
        "t-corpus-nosuch", "is not installed"));
    c.add(client("feature: uninstall a boot feature", "feature:uninstall dockevos-core", "dockevos-core",
        "it is a boot feature"));
    c.add(client("feature: info of one that is nowhere", "feature:info t-corpus-nosuch", "t-corpus-nosuch",
        "No feature named"));
    c.add(client("feature: repo-add of a file that is not there", "feature:repo-add ${home}/../nope.json",
        "nope.json", "there is no file"));
    c.add(client("feature: repo-add of a directory", "feature:repo-add ${jars}", "${jars}",
        "is a directory, not a regular file"));
    c.add(client("feature: repo-add of /dev/zero", "feature:repo-add /dev/zero", "/dev/zero",
        "is a character device, not a regular file"));
    c.add(client("feature: repo-add of an unknown scheme", "feature:repo-add gopher://127.0.0.1/f.json",
        cannot + "gopher://127.0.0.1/f.json", "unknown kind of source 'gopher:'"));
    c.add(client("feature: repo-add of a file: URL with a host", "feature:repo-add file://127.0.0.1/f.json",
        cannot + "file://127.0.0.1/f.json", "takes no host ('127.0.0.1')"));
    c.add(clientFile("feature: repo-add of a file that ends early", "early.json",
        text("{\"id\": \"t.corpus:early:1.0\", \"bundles\": ["), "feature:repo-add ${file}", "${file}",
        "is not valid JSON: it ends early, after line 1"));
    c.add(clientFile("feature: repo-add of a feature whose id is a number", "number.json",
        text("{\"id\": 5, \"bundles\": []}"), "feature:repo-add ${file}", "${file}",
        "field id is the number 5; it must be a string"));
    c.add(clientFile("feature: repo-add of a field no feature has", "field.json", text("{\"features\": []}"),
        "feature:repo-add ${file}", "${file}", "field features is not a field of a feature"));
    c.add(clientFile("feature: repo-add of plain text", "text.json", text("not json\n"), "feature:repo-add ${file}",
        "${file}", "is not valid JSON: line 1, column 2"));
    c.add(clientFile("feature: repo-add of a zero-byte file", "zero.json", bytes(), "feature:repo-add ${file}",
        "${file}", "is empty; a feature file holds one JSON object"));
    c.add(client("feature: repo-add of plain http without --insecure", "feature:repo-add ${base}f.json",
        "${base}f.json", "http: is not secure", "--insecure"));
    c.add(client("feature: repo-add of a URL the server does not have (404)", "feature:repo-add --insecure"
        + " ${base}404.json", "${base}404.json", "HTTP 404"));
    c.add(client("feature: repo-add of a URL whose server fails (500)", "feature:repo-add --insecure"
        + " ${base}500.json", "${base}500.json", "HTTP 500"));
    c.add(client("feature: repo-add of a download that is not JSON", "feature:repo-add --insecure"
        + " ${base}garbage.json", "${base}garbage.json", "a feature file holds one JSON object"));
    c.add(client("feature: repo-remove of one that is not registered", "feature:repo-remove t-corpus-nosuch",
        "t-corpus-nosuch", "is registered"));
  }

  private static void configurations(List<Case> c) {
    c.add(client("config: get a PID that is not there", "config:get t.corpus.nosuch", "t.corpus.nosuch",
        "no configuration with PID"));
    c.add(client("config: get a PID with a wildcard", "config:get 'dockevos.lo*'", "dockevos.lo*",
        "no configuration with PID"));
    c.add(client("config: get a PID that closes the filter", "config:get 'x)(objectClass=*'", "x)(objectClass=*",
        "no configuration with PID"));
    c.add(client("config: list with a filter that does not parse", "config:list '(&(x=1)'", "'(&(x=1)'",
        "is not an LDAP filter"));
    c.add(client("config: get without a PID", "config:get", "config:get", "needs arguments"));
  }

  private static void shell(List<Case> c) {
    c.add(client("shell: an unknown command", "t-corpus-nosuch", "t-corpus-nosuch", "Command not found"));
    c.add(client("shell: an unknown command of a known scope", "plugin:nosuch", "plugin:nosuch",
        "Command not found"));
    c.add(client("shell: a word where a number is wanted", "log:tail -n abc", "-n abc",
        "log:tail does not take the arguments", "help log:tail"));
    c.add(client("shell: a negative number of lines", "log:tail -n -5", "-n -5", "cannot be negative"));
    c.add(client("shell: an unknown log level", "log:level io.dockevos.core BOGUS", "BOGUS", "unknown level"));
    c.add(client("shell: a quote not closed", "echo \"corpus", "echo \"corpus", "matching quote",
        "close every quote"));
    c.add(client("shell: a parenthesis not closed", "echo (corpus", "echo (corpus", "cannot be read",
        "close every quote and bracket"));
    c.add(client("shell: a brace not closed", "echo {corpus", "echo {corpus", "cannot be read",
        "close every quote and bracket"));
    c.add(client("shell: a stray bracket", "echo ]", "echo ]", "unexpected token ']'"));
    // 100,000 deep overflows the shell's stack wherever its parser is compiled; at 5,000 it may reach
    // the end of the text first, and then the bracket that is not closed is the cause.
    c.add(client("shell: a command nested 100000 deep", "echo " + "[".repeat(100_000), "command",
        "nested too deeply"));
    c.add(client("shell: repo:add of an index that is not there", "repo:add ${home}/../nope.xml", "nope.xml",
        "there is no such file"));
    c.add(client("shell: repo:remove of an unknown index", "repo:remove t-corpus-nosuch", "t-corpus-nosuch",
        "No registered index"));
    c.add(client("shell: error:show of an unknown incident", "error:show t-corpus-nosuch", "t-corpus-nosuch",
        "No incident"));
    c.add(client("shell: trust:remove of an unknown certificate", "trust:remove t-corpus-nosuch", "'t-corpus-nosuch'",
        "No trusted certificate"));
    // Eleven words of 100,000 bytes: one argument of a megabyte is more than the operating system passes.
    String words = String.join(" ", java.util.Collections.nCopies(11, "x".repeat(100_000)));
    c.add(usage("client: a command over 1 MiB", "echo " + words, "The command is 1100015 bytes long",
        "over the 1048576 bytes (1 MiB)", "nothing was sent"));
    c.add(usage("client: an empty command", "", "the command is empty", "usage: dockevos client"));
    c.add(usage("client: a command of blanks", "   ", "the command is empty", "usage: dockevos client"));
  }
}
