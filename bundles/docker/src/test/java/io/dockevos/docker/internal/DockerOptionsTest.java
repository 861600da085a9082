package io.dockevos.docker.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DockerOptionsTest {
  static DockerEngineImpl.Config config(String host, boolean tls, String cert, long ping) {
    return new DockerEngineImpl.Config() {
      @Override
      public Class<? extends Annotation> annotationType() {
        return DockerEngineImpl.Config.class;
      }

      @Override
      public String docker_host() {
        return host;
      }

      @Override
      public boolean docker_tls_verify() {
        return tls;
      }

      @Override
      public String docker_cert_path() {
        return cert;
      }

      @Override
      public long ping_interval_ms() {
        return ping;
      }

      @Override
      public long ping_backoff_max_ms() {
        return 5000;
      }

      @Override
      public String runner_image() {
        return "busybox:latest";
      }
    };
  }

  @Test
  void settingsBesideTheEndpointLeaveTheOptionsEqual() {
    DockerOptions a = DockerOptions.of(config("unix:///run/a.sock", false, "", 2000), Map.of());
    DockerOptions b = DockerOptions.of(config("unix:///run/a.sock", false, "", 500), Map.of());
    assertEquals(a, b, "a new ping interval does not reconnect");
    assertNotEquals(a, DockerOptions.of(config("unix:///run/b.sock", false, "", 2000), Map.of()));
    assertNotEquals(DockerOptions.of(config("tcp://127.0.0.1:2376", true, "/certs", 2000), Map.of()),
        DockerOptions.of(config("tcp://127.0.0.1:2376", true, "/other", 2000), Map.of()));
  }

  @Test
  void theEndpointComesFromTheConfigurationThenDockerHostThenTheDefault() {
    assertEquals("unix:///x.sock", DockerOptions.of(config("unix:///x.sock", false, "", 1), Map.of("DOCKER_HOST", "unix:///y.sock")).host());
    assertEquals("unix:///y.sock", DockerOptions.of(config("", false, "", 1), Map.of("DOCKER_HOST", "unix:///y.sock")).host());
    assertEquals(DockerOptions.DEFAULT_HOST, DockerOptions.of(config(" ", false, "", 1), Map.of()).host());
    assertEquals(java.nio.file.Path.of("/var/run/docker.sock"), new DockerOptions(DockerOptions.DEFAULT_HOST, false, "").socket());
    assertEquals(null, new DockerOptions("tcp://127.0.0.1:2375", false, "").socket());
  }

  @Test
  void badEndpointsAreNamed() {
    var e = assertThrows(IllegalArgumentException.class, () -> new DockerOptions("http://x", false, ""));
    assertTrue(e.getMessage().contains("'http://x' is neither unix:///PATH nor tcp://HOST:PORT"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new DockerOptions("unix:///x.sock", true, "/certs"));
    assertTrue(e.getMessage().contains("docker.tls.verify needs a tcp://"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new DockerOptions("tcp://127.0.0.1:2376", true, ""));
    assertTrue(e.getMessage().contains("docker.cert.path"), e.getMessage());
  }
}
