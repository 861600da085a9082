package io.dockevos.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
}
