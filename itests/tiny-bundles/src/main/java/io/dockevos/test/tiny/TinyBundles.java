package io.dockevos.test.tiny;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * The tiny test bundles that this jar carries at its root, read from the class path.
 *
 * <p>Plain JUnit tests copy them into a deploy folder; OSGi tests embed the same jars.
 */
public final class TinyBundles {
  /** {@code io.dockevos.test.good} 1.0.0; {@code Greeting.text()} returns "hello 1". */
  public static final String GOOD_1 = "good-1.0.0.jar";
  /** {@code io.dockevos.test.good} 2.0.0; {@code Greeting.text()} returns "hello 2". */
  public static final String GOOD_2 = "good-2.0.0.jar";
  /** Imports {@code io.dockevos.test.missing;version="[1.0,2)"}, which nothing else provides. */
  public static final String NEEDS_MISSING = "needs-missing.jar";
  /** Exports {@code io.dockevos.test.missing} 1.0.0, which makes {@link #NEEDS_MISSING} resolve. */
  public static final String PROVIDES_MISSING = "provides-missing.jar";
  /** Its activator throws {@code IllegalStateException("tiny bundle refuses to start")}. */
  public static final String THROWS = "throws.jar";
  /** Requires {@code dockevos.host} 0.1 or later. */
  public static final String REQUIRES_HOST = "requires-host.jar";
  /** Requires {@code dockevos.host} 99 or later, so it never resolves. */
  public static final String REQUIRES_FUTURE_HOST = "requires-future-host.jar";

  /**
   * {@code io.dockevos.test.stateful} 1.0.0, a {@code StatefulPlugin}: its state is "state of 1.0.0",
   * state version 1; what it restores it writes to {@code restored.txt} in its data area.
   */
  public static final String STATEFUL_1 = "stateful-1.0.0.jar";
  /** The same plugin at 2.0.0 (state version 2). */
  public static final String STATEFUL_2 = "stateful-2.0.0.jar";
  /** The same plugin at 3.0.0, whose {@code restoreState} throws: an update to it rolls back. */
  public static final String STATEFUL_BROKEN_3 = "stateful-broken-3.0.0.jar";

  /** {@code io.dockevos.test.action}: the action {@code echo} (input {@code text}, required), which streams and returns it. */
  public static final String ACTION = "action.jar";

  /** Requires the feature {@code dockevos-core} (namespace {@code dockevos.feature}, effective:=active). */
  public static final String REQUIRES_FEATURE = "requires-feature.jar";
  /** Requires the feature {@code no-such-feature}, which is nowhere. */
  public static final String REQUIRES_MISSING_FEATURE = "requires-missing-feature.jar";

  /** {@code io.dockevos.test.slow}: its activator takes 60 s, to kill the runtime in the middle of an install. */
  public static final String SLOW = "slow.jar";
  /**
   * {@code io.dockevos.test.patient}: at its first start its activator waits until its thread is
   * interrupted (at most 60 s), then finishes the start with the interrupt flag set again; later
   * starts are immediate. A client that leaves in the middle of an install interrupts that thread.
   */
  public static final String PATIENT = "patient.jar";

  /** Requires {@code dockevos.hardware} with {@code cores>=100000}, so it never resolves. */
  public static final String REQUIRES_HUGE_MACHINE = "requires-huge-machine.jar";
  /** Requires {@code dockevos.hardware} with {@code cores>=1}, {@code memory.mb>=1} and an {@code os.name}. */
  public static final String REQUIRES_ONE_CORE = "requires-one-core.jar";
  /**
   * {@code io.dockevos.test.requirestools}: requires the system tools {@code sh} (present), {@code
   * dockevos-no-such-tool} (missing) and {@code sh} 999 or later (too old), with effective:=active;
   * contributes the procedure {@code test-tiny-problem} (header {@code Dockevos-Procedures}).
   */
  public static final String REQUIRES_TOOLS = "requires-tools.jar";
  /**
   * {@code io.dockevos.test.unsatisfied}: the DS component {@code
   * io.dockevos.test.unsatisfied.NeedsWanted}, whose mandatory reference to {@code
   * io.dockevos.test.wanted.Wanted} nobody provides until {@link #PROVIDES_WANTED} is installed.
   */
  public static final String UNSATISFIED = "unsatisfied.jar";
  /** Registers the {@code io.dockevos.test.wanted.Wanted} service that {@link #UNSATISFIED} needs. */
  public static final String PROVIDES_WANTED = "provides-wanted.jar";
  /**
   * {@code io.dockevos.test.health}: the Felix Health Check {@code tiny.health}, CRITICAL while the
   * file {@code tiny-health-critical} exists in the data folder ({@code dockevos.data}).
   */
  public static final String HEALTH = "health.jar";
  /** {@code io.dockevos.test.logserror}: logs "tiny bundle logs an error" at ERROR, with an IllegalArgumentException, as it starts. */
  public static final String LOGS_ERROR = "logs-error.jar";
  /**
   * {@code io.dockevos.test.standinerrors}: a stand-in {@code ErrorHandler} whose incidents are those
   * of {@code <dockevos.home>/standin-incidents.properties} ({@code E1.source}, {@code E1.plugin},
   * {@code E1.summary}, {@code E1.prop.KEY}); the statuses set go to {@code standin-statuses.txt}.
   */
  public static final String STAND_IN_ERRORS = "stand-in-errors.jar";

  /**
   * {@code io.dockevos.test.optionalmissing}: imports {@code io.dockevos.test.missing} optionally, so it
   * resolves without it, and its activator then fails with {@code NoClassDefFoundError}.
   */
  public static final String OPTIONAL_MISSING = "optional-missing.jar";

  /**
   * Twelve bundles that need each other: {@code chain-NN.jar} is {@code io.dockevos.test.chainNN}
   * 1.0.0, which exports {@code io.dockevos.test.chain.pNN} and imports the packages of the one or
   * two links before it ({@code chain-01.jar} imports none). {@code CHAIN.get(0)} is {@code chain-01.jar}.
   */
  public static final List<String> CHAIN = java.util.stream.IntStream.rangeClosed(1, 12)
      .mapToObj(k -> String.format("chain-%02d.jar", k)).toList();
  /** {@code io.dockevos.test.fragment}: a fragment of {@code io.dockevos.test.fragmenthost}, which no tiny bundle is. */
  public static final String FRAGMENT = "fragment.jar";

  /**
   * {@code io.dockevos.test.wantsdocker} 1.0.0 requests {@code Dockevos-Permissions: docker}; its DS
   * component {@code io.dockevos.test.wantsdocker.WantsDocker} has a mandatory reference to {@code
   * io.dockevos.docker.DockerEngine}.
   */
  public static final String WANTS_DOCKER = "wants-docker.jar";
  /** {@code io.dockevos.test.wantsdocker} 2.0.0, which requests {@code docker, runner}: more than 1.0.0. */
  public static final String WANTS_DOCKER_2 = "wants-docker-2.0.0.jar";
  /**
   * {@code io.dockevos.test.wantsplugins} 1.0.0 requests {@code Dockevos-Permissions: plugins.manage,
   * network}; its DS component {@code io.dockevos.test.wantsplugins.WantsPlugins} has a mandatory
   * reference to {@code io.dockevos.plugin.PluginManager}.
   */
  public static final String WANTS_PLUGINS = "wants-plugins.jar";
  /** {@code io.dockevos.test.badpermissions} 1.0.0: {@code Dockevos-Permissions: docker, dokcer} (misspelt). */
  public static final String BAD_PERMISSIONS = "bad-permissions.jar";

  /**
   * {@code io.dockevos.test.slowhandler}: an event handler (topic {@code acme/test/SLOW}) that
   * blocks 8 s on its second event; {@code slow:send N} sends N events synchronously, {@code
   * slow:count} says how many the handler got.
   */
  public static final String SLOW_HANDLER = "slow-handler.jar";

  /** {@code io.dockevos.test.prints}: prints 2,000 lines of 100 characters to standard output and to standard error as it starts. */
  public static final String PRINTS = "prints.jar";

  /** Every tiny bundle this jar carries. */
  public static final List<String> ALL = List.of(GOOD_1, GOOD_2, NEEDS_MISSING, PROVIDES_MISSING, THROWS,
      REQUIRES_HOST, REQUIRES_FUTURE_HOST, STATEFUL_1, STATEFUL_2, STATEFUL_BROKEN_3, ACTION,
      REQUIRES_FEATURE, REQUIRES_MISSING_FEATURE, SLOW, PATIENT, REQUIRES_HUGE_MACHINE, REQUIRES_ONE_CORE, REQUIRES_TOOLS,
      UNSATISFIED, PROVIDES_WANTED, HEALTH, LOGS_ERROR,
      STAND_IN_ERRORS, OPTIONAL_MISSING, CHAIN.get(0), CHAIN.get(1), CHAIN.get(2), CHAIN.get(3), CHAIN.get(4),
      CHAIN.get(5), CHAIN.get(6), CHAIN.get(7), CHAIN.get(8), CHAIN.get(9), CHAIN.get(10), CHAIN.get(11), FRAGMENT,
      WANTS_DOCKER, WANTS_DOCKER_2, WANTS_PLUGINS, BAD_PERMISSIONS, SLOW_HANDLER, PRINTS);

  private TinyBundles() {}

  /**
   * Opens a tiny bundle.
   *
   * @param name a file name such as {@value #GOOD_1}
   * @return the jar's bytes; the caller closes the stream
   * @throws IllegalArgumentException if there is no such tiny bundle
   */
  public static InputStream open(String name) {
    InputStream in = TinyBundles.class.getResourceAsStream("/" + name);
    if (in == null) {
      throw new IllegalArgumentException("no tiny bundle named " + name + "; there are " + ALL);
    }
    return in;
  }

  /**
   * Copies a tiny bundle into a directory, replacing a file of the same name.
   *
   * @param name a file name such as {@value #GOOD_1}
   * @param dir the target directory, which must exist
   * @return the copied file, {@code dir/name}
   */
  public static Path copyTo(String name, Path dir) {
    Path target = dir.resolve(name);
    try (InputStream in = open(name)) {
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy " + name + " to " + dir, e);
    }
    return target;
  }

  /**
   * A copy of a tiny bundle under another symbolic name, for many distinct bundles of one kind.
   *
   * @param name a file name such as {@value #GOOD_1}
   * @param symbolicName the copy's {@code Bundle-SymbolicName}
   * @return the copy's bytes
   */
  public static byte[] renamed(String name, String symbolicName) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JarInputStream in = new JarInputStream(open(name))) {
      Manifest mf = new Manifest(in.getManifest());
      mf.getMainAttributes().putValue("Bundle-SymbolicName", symbolicName);
      try (JarOutputStream jo = new JarOutputStream(out, mf)) {
        for (JarEntry e = in.getNextJarEntry(); e != null; e = in.getNextJarEntry()) {
          jo.putNextEntry(new JarEntry(e.getName()));
          in.transferTo(jo);
          jo.closeEntry();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy " + name + " as " + symbolicName, e);
    }
    return out.toByteArray();
  }
}
