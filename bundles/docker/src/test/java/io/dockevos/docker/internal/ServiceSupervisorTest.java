package io.dockevos.docker.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dockevos.docker.ContainerDetails;
import io.dockevos.docker.DockerEngine;
import io.dockevos.docker.EngineStatus;
import io.dockevos.docker.ServiceInfo;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The supervisor's state machine against an engine that answers at a moment the test chooses (the
 * engine itself is what DockerIT tests, with a real Podman).
 */
class ServiceSupervisorTest {
  private static final String PID = "dockevos.docker.service~web";

  /**
   * {@code docker:service down} while a look at the service is under way: the look must not put the
   * service back to RUNNING (DockerIT saw "RUNNING" after "down" had removed the container).
   */
  @Test
  void downDuringALookAtTheServiceStaysStopped() throws Exception {
    CountDownLatch inspecting = new CountDownLatch(1);
    CountDownLatch answer = new CountDownLatch(1);
    AtomicBoolean blockNextInspect = new AtomicBoolean();
    DockerEngine engine = (DockerEngine) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {DockerEngine.class}, (proxy, method, args) -> switch (method.getName()) {
          case "status" -> new EngineStatus("test", true, "1", "1.41", "", Instant.now());
          case "run" -> "c0ffee000000000000";
          case "inspect" -> {
            if (blockNextInspect.compareAndSet(true, false)) {
              inspecting.countDown();
              answer.await(10, TimeUnit.SECONDS);
            }
            yield new ContainerDetails((String) args[0], "dockevos-svc-web", "busybox", "running", 0, "", "", 0,
                Map.of(), "{}");
          }
          case "toString" -> "test engine";
          default -> null;
        });
    ServiceSupervisor supervisor = new ServiceSupervisor(engine);
    try {
      supervisor.define(PID, Map.of("image", "busybox", "command", "sh,-c,sleep 9"));
      awaitState(supervisor, "RUNNING");

      blockNextInspect.set(true);
      Thread look = new Thread(supervisor::tick);
      look.start();
      assertTrue(inspecting.await(10, TimeUnit.SECONDS), "a look at the service began");
      supervisor.down("web");
      answer.countDown();
      look.join(10_000);

      ServiceInfo web = supervisor.list().get(0);
      assertEquals("STOPPED", web.state(), web::toString);
      assertEquals("taken down", web.reason(), web::toString);
    } finally {
      supervisor.close();
    }
  }

  private static void awaitState(ServiceSupervisor supervisor, String state) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    List<ServiceInfo> list = supervisor.list();
    while (System.nanoTime() < end) {
      list = supervisor.list();
      if (!list.isEmpty() && state.equals(list.get(0).state())) {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("not " + state + ": " + list);
  }
}
