package io.dockevos.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dockevos.action.Action;
import io.dockevos.action.ActionEvents;
import io.dockevos.action.ActionException;
import io.dockevos.action.ActionInfo;
import io.dockevos.action.ActionListener;
import io.dockevos.action.ActionService;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectBundleInstaller;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.common.install.BundleInstaller;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.context.BundleInstallerExtension;
import org.osgi.test.junit5.service.ServiceExtension;

/** Actions through the ActionService: validation, streaming, figures and events. */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(BundleInstallerExtension.class)
@ExtendWith(ServiceExtension.class)
class ActionServiceTest {
  private static final String PLUGIN = "io.dockevos.test.action";

  @InjectBundleContext
  BundleContext context;

  @InjectBundleInstaller
  BundleInstaller installer;

  @InjectService
  ActionService actions;

  @InjectService
  ConfigurationAdmin configAdmin;

  private final List<Event> events = new CopyOnWriteArrayList<>();
  private ServiceRegistration<EventHandler> handler;
  private Bundle plugin;

  @BeforeEach
  void setUp() throws Exception {
    Dictionary<String, Object> props = new Hashtable<>();
    props.put(EventConstants.EVENT_TOPIC, ActionEvents.ALL);
    handler = context.registerService(EventHandler.class, events::add, props);
    plugin = installer.installBundle("action.jar", true);
  }

  @AfterEach
  void tearDown() {
    handler.unregister();
  }

  @Test
  void anInvocationStreamsReturnsAndIsPublished() throws Exception {
    List<String> streamed = new CopyOnWriteArrayList<>();
    Object result = actions.invoke(PLUGIN, "echo", Map.of("text", "hi"), null, new ActionListener() {
      @Override
      public void output(String chunk) {
        streamed.add(chunk);
      }
    });
    assertEquals("hi", result);
    assertEquals(List.of("hi"), streamed);
    Event e = Await.until(() -> events.stream().filter(x -> x.getTopic().equals(ActionEvents.EXECUTED))
        .findFirst().orElse(null), x -> x != null, "dockevos/action/EXECUTED");
    assertEquals(PLUGIN, e.getProperty(ActionEvents.PLUGIN_ID));
    assertEquals("echo", e.getProperty(ActionEvents.ACTION));
    assertTrue(e.getProperty(ActionEvents.DURATION) instanceof Long);
  }

  @Test
  void inputThatBreaksTheSchemaFailsNamingTheFieldAndIsPublished() throws Exception {
    ActionException x = assertThrows(ActionException.class,
        () -> actions.invoke(PLUGIN, "echo", Map.of("text", 42), null, ActionListener.NONE));
    assertEquals(ActionException.Kind.INVALID_INPUT, x.kind());
    assertEquals("/text", x.field());
    ActionException missing = assertThrows(ActionException.class,
        () -> actions.invoke(PLUGIN, "echo", Map.of(), null, ActionListener.NONE));
    assertEquals("/text", missing.field(), missing.getMessage());
    Event e = Await.until(() -> events.stream().filter(y -> y.getTopic().equals(ActionEvents.FAILED))
        .findFirst().orElse(null), y -> y != null, "dockevos/action/FAILED");
    assertEquals("INVALID_INPUT", e.getProperty(ActionEvents.KIND));
    assertTrue(String.valueOf(e.getProperty(ActionEvents.REASON)).contains("field 'text'"));
  }

  @Test
  void theRuntimeListsTheActionWithItsFiguresAndForgetsItWithItsPlugin() throws Exception {
    actions.invoke(PLUGIN, "echo", Map.of("text", "a"), null, ActionListener.NONE);
    ActionInfo info = actions.actions().stream().filter(a -> a.plugin().equals(PLUGIN)).findFirst().orElseThrow();
    assertEquals("action:echo", info.command());
    assertEquals(1, info.stats().invocations());
    assertEquals(0, info.stats().failures());
    plugin.stop();
    assertTrue(actions.actions().stream().noneMatch(a -> a.plugin().equals(PLUGIN)), "gone with its plugin");
    ActionException gone = assertThrows(ActionException.class,
        () -> actions.invoke(PLUGIN, "echo", Map.of("text", "a"), null, ActionListener.NONE));
    assertEquals(ActionException.Kind.NOT_FOUND, gone.kind());
  }

  @Test
  void pastItsLimitTheActionPoolRefusesAsBusyAndServesAgainOnceARunEnds() throws Exception {
    Configuration config = configAdmin.getConfiguration("dockevos.actions", "?");
    config.update(new Hashtable<>(Map.of("maxConcurrent", 2)));
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.atomic.AtomicInteger running = new java.util.concurrent.atomic.AtomicInteger();
    Dictionary<String, Object> props = new Hashtable<>();
    props.put(Action.NAME, "block");
    props.put(Action.SCOPE, "itest");
    ServiceRegistration<Action> block = context.registerService(Action.class, (input, ctx) -> {
      running.incrementAndGet();
      release.await();
      return "done";
    }, props);
    java.util.concurrent.ExecutorService callers = java.util.concurrent.Executors.newFixedThreadPool(2);
    String me = context.getBundle().getSymbolicName();
    try {
      // Configuration Admin delivers the limit asynchronously: the runtime says when it has it.
      Await.until(() -> String.valueOf(context.getServiceReference(ActionService.class).getProperty("maxConcurrent")),
          "2"::equals, "the action runtime has maxConcurrent = 2");
      List<java.util.concurrent.Future<Object>> runs = List.of(
          callers.submit(() -> actions.invoke(me, "block", Map.of(), null, ActionListener.NONE)),
          callers.submit(() -> actions.invoke(me, "block", Map.of(), null, ActionListener.NONE)));
      Await.until(running::get, n -> n == 2, "two runs of block");
      ActionException busy = assertThrows(ActionException.class,
          () -> actions.invoke(me, "block", Map.of(), java.time.Duration.ofSeconds(5), ActionListener.NONE));
      assertEquals("BUSY", busy.kind().name(), busy.getMessage());
      assertEquals("itest:block is refused: the runtime is busy: 2 actions are running, the most at once"
          + " (maxConcurrent of dockevos.actions); try again once one ends", busy.getMessage());
      assertEquals(2, running.get(), "the refused run did not start");
      Event e = Await.until(() -> events.stream().filter(x -> x.getTopic().equals(ActionEvents.FAILED)
          && "BUSY".equals(x.getProperty(ActionEvents.KIND))).findFirst().orElse(null), x -> x != null, "FAILED BUSY");
      assertEquals("block", e.getProperty(ActionEvents.ACTION));
      release.countDown();
      for (java.util.concurrent.Future<Object> run : runs) {
        assertEquals("done", run.get(30, java.util.concurrent.TimeUnit.SECONDS));
      }
      assertEquals("done", actions.invoke(me, "block", Map.of(), null, ActionListener.NONE), "served again");
    } finally {
      release.countDown();
      callers.shutdownNow();
      block.unregister();
      config.delete();
    }
  }
}
