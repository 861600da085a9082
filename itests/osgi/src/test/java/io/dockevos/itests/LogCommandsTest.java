package io.dockevos.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;
import org.apache.felix.service.command.CommandProcessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.BundleContext;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;
import org.slf4j.Logger;

/** log:level and log:tail of io.dockevos.core, run through the Gogo CommandProcessor. */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
class LogCommandsTest {
  static final String PROBE = "io.dockevos.itests.probe";

  @InjectBundleContext
  BundleContext context;

  @InjectService
  CommandProcessor shell;

  @InjectService
  org.osgi.service.log.LoggerFactory loggers;

  @AfterEach
  void resetLevels() throws Exception {
    Shell.run(shell, "log:level " + PROBE + " DEFAULT");
    Shell.run(shell, "log:level " + context.getBundle().getSymbolicName() + " DEFAULT");
  }

  @Test
  void levelSetsShowsAndListsTheLevelOfALogger() throws Exception {
    Logger probe = org.slf4j.LoggerFactory.getLogger(PROBE);
    assertFalse(probe.isDebugEnabled(), "DEBUG is off by default (root INFO)");

    String set = Shell.run(shell, "log:level " + PROBE + " debug").shown();
    assertTrue(set.contains(PROBE + " set to DEBUG"), set);
    assertTrue(probe.isDebugEnabled(), "log:level DEBUG did not reach the logger");
    assertTrue(Shell.run(shell, "log:level " + PROBE).shown().contains(PROBE + " DEBUG"));

    Shell.run(shell, "log:level " + PROBE + " WARN");
    assertFalse(probe.isInfoEnabled(), "log:level WARN did not reach the logger");
    assertTrue(probe.isWarnEnabled());
    String list = Shell.run(shell, "log:level").shown();
    assertTrue(list.lines().anyMatch(l -> l.startsWith(PROBE) && l.endsWith("WARN")), list);

    Shell.run(shell, "log:level " + PROBE + " DEFAULT");
    assertTrue(probe.isInfoEnabled() && !probe.isDebugEnabled(), "DEFAULT did not restore the inherited INFO");
  }

  @Test
  void levelRejectsAnUnknownLevelAndSaysWhichAreValid() {
    Exception e = assertThrows(Exception.class, () -> Shell.run(shell, "log:level " + PROBE + " LOUD"));
    assertTrue(e.getMessage().contains("unknown level LOUD"), e.getMessage());
    assertTrue(e.getMessage().contains("DEBUG"), e.getMessage());
  }

  @Test
  void tailShowsTheLinesJustLogged() throws Exception {
    String first = "tail-probe-" + UUID.randomUUID();
    String second = "tail-probe-" + UUID.randomUUID();
    Logger probe = org.slf4j.LoggerFactory.getLogger(PROBE);
    probe.warn(first);
    probe.warn(second);

    String two = Await.until(() -> Shell.run(shell, "log:tail -n 2").out(), out -> out.contains(second),
        "log:tail -n 2 to show " + second);
    assertEquals(2, two.lines().count(), two);
    assertTrue(two.lines().findFirst().orElseThrow().contains(first), two);
    assertTrue(two.contains("WARN"), two);

    String one = Shell.run(shell, "log:tail --lines 1").out();
    assertEquals(1, one.lines().count(), one);
    assertTrue(one.contains(second), one);
  }

  @Test
  void osgiLogServiceEntriesReachTheLogUnderTheBundleName() throws Exception {
    String text = "osgi-log-probe-" + UUID.randomUUID();
    org.osgi.service.log.Logger osgi = loggers.getLogger(context.getBundle(), "probe", org.osgi.service.log.Logger.class);
    osgi.warn(text);

    String tail = Await.until(() -> Shell.run(shell, "log:tail -n 50").out(), out -> out.contains(text),
        "the OSGi Log Service entry in dockevos.log");
    String line = tail.lines().filter(l -> l.contains(text)).findFirst().orElseThrow();
    assertTrue(line.contains("WARN"), line);
    assertTrue(line.contains(abbreviatedBsn()), "logged under the bundle's name: " + line);
  }

  @Test
  void levelOfABundleReachesItsOsgiLoggers() throws Exception {
    String bsn = context.getBundle().getSymbolicName();
    org.osgi.service.log.Logger osgi = loggers.getLogger(context.getBundle(), "probe", org.osgi.service.log.Logger.class);
    assertFalse(osgi.isDebugEnabled(), "an OSGi logger does not create DEBUG entries by default");

    Shell.run(shell, "log:level " + bsn + " DEBUG");
    assertTrue(osgi.isDebugEnabled(), "log:level <bundle> DEBUG reaches the bundle's OSGi loggers");
    String text = "osgi-debug-probe-" + UUID.randomUUID();
    osgi.debug(text);
    Await.until(() -> Shell.run(shell, "log:tail -n 50").out(), out -> out.contains(text),
        "the DEBUG entry in dockevos.log once the bundle's level is DEBUG");

    Shell.run(shell, "log:level " + bsn + " DEFAULT");
    assertFalse(osgi.isDebugEnabled(), "DEFAULT returns the bundle's OSGi loggers to the inherited level");
  }

  /** Logback's pattern shortens long logger names (%logger{36}); the last segment stays whole. */
  private String abbreviatedBsn() {
    String bsn = context.getBundle().getSymbolicName();
    return bsn.substring(bsn.lastIndexOf('.') + 1);
  }
}
