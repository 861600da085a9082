package io.dockevos.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The dockevOS image ({@code runtime/target/dockevos-image.tar}) in the engine of {@code .ci/engine.sh},
 * driven with the {@code podman} client over {@code DOCKER_HOST}: loads the image once, runs containers
 * of it and removes them. For the image's tests and the fleet's:
 * <pre>
 * ImageContainers image = ImageContainers.required();          // fails under CI=true without engine or image
 * ImageContainers.Container c = image.run("fleet-1", "-v", "fleet-1-data:/opt/dockevos/data");
 * c.awaitReady(Duration.ofSeconds(60));                         // bin/dockevos status --ready, by exec
 * c.client("plugin:list --json");                               // bin/dockevos client, by exec
 * image.removeAll();                                            // every container and volume it made
 * </pre>
 * A desired state shared by several containers: a host folder with state.json, mounted read-only
 * ({@code -v DIR:/state:ro -e DOCKEVOS_STATE_FILE=/state/state.json}; the files must be readable by
 * the user 1000). The JVM is the container's PID 1: {@code podman kill --signal KILL NAME} kills it
 * from outside (from inside, PID 1 ignores SIGKILL).
 * Containers are named {@code dockevos-it-NAME} and carry the label {@value #LABEL}; volumes named
 * {@code NAME} in {@code -v NAME:/path} are the engine's named volumes, removed by {@link #removeAll()}
 * when they start with {@code dockevos-it-} too.
 */
final class ImageContainers {
  static final String LABEL = "io.dockevos.test=image";
  static final String PREFIX = "dockevos-it-";
  private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(2);
  private static volatile String loadedImage;

  private final Engine engine;
  private final Path tar;

  private ImageContainers(Engine engine, Path tar) {
    this.engine = engine;
    this.tar = tar;
  }

  /**
   * The engine and the image, or a failure under {@code CI=true} and a loud skip elsewhere when either
   * is missing. Loads the image into the engine at the first call.
   */
  static synchronized ImageContainers required() {
    Engine engine = Engine.required();
    Path tar = Path.of(System.getProperty("dockevos.image.tar", "../../runtime/target/dockevos-image.tar"));
    if (!Files.isRegularFile(tar)) {
      String why = "No dockevOS image at " + tar.toAbsolutePath().normalize() + ": the build makes it"
          + " (module runtime/image) where Debian's bash-static and busybox-static are installed"
          + " (.ci/engine.sh install); the build's output says what was missing.";
      Missing.failInCiElseSkip(why);
    }
    ImageContainers image = new ImageContainers(engine, tar);
    if (loadedImage == null) {
      Result load = image.podman("load", "-i", tar.toString());
      assertEquals(0, load.exit(), () -> "podman load of the image\n" + load);
      String name = load.out().lines().filter(l -> l.startsWith("Loaded image"))
          .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElse(null);
      if (name == null) {
        fail("podman load named no image\n" + load);
      }
      loadedImage = name;
    }
    return image;
  }

  /** @return the image's name in the engine, as {@code podman load} gave it (localhost/dockevos:VERSION) */
  String name() {
    return loadedImage;
  }

  /** @return the image tar that was loaded */
  Path tar() {
    return tar;
  }

  /** Runs {@code podman --url DOCKER_HOST ARGS}, with its outputs and status. */
  Result podman(String... args) {
    List<String> command = new ArrayList<>(List.of("podman", "--url", engine.host()));
    command.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(command).start();
      p.getOutputStream().close();
      CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
      CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
      if (!p.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        p.destroyForcibly();
        fail(String.join(" ", command) + ": no answer within " + COMMAND_TIMEOUT.toSeconds() + " s");
      }
      return new Result(command, p.exitValue(), out.join(), err.join());
    } catch (IOException e) {
      throw new IllegalStateException("cannot run podman (.ci/engine.sh install installs it): " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String read(java.io.InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  /**
   * Starts a container of the image in the background: {@code podman run -d --name dockevos-it-NAME
   * --label io.dockevos.test=image OPTIONS IMAGE}. The options come before the image ({@code -e},
   * {@code -v}, {@code --read-only} ...).
   */
  Container run(String name, String... options) {
    List<String> args = new ArrayList<>(List.of("run", "-d", "--name", PREFIX + name, "--label", LABEL));
    args.addAll(List.of(options));
    args.add(loadedImage);
    Result r = podman(args.toArray(String[]::new));
    assertEquals(0, r.exit(), () -> "podman run\n" + r);
    return new Container(PREFIX + name);
  }

  /**
   * Removes every container of these tests (by label) with its anonymous volumes (the image's data/ and
   * deploy/ when no volume is named for them), and every volume named {@code dockevos-it-*}.
   */
  void removeAll() {
    Result ps = podman("ps", "-a", "-q", "--filter", "label=" + LABEL);
    for (String id : ps.out().strip().lines().filter(l -> !l.isBlank()).toList()) {
      podman("rm", "-f", "-v", "-t", "0", id);
    }
    Result volumes = podman("volume", "ls", "-q");
    for (String v : volumes.out().strip().lines().filter(l -> l.startsWith(PREFIX)).toList()) {
      podman("volume", "rm", "-f", v);
    }
  }

  /** One container of the image. */
  final class Container {
    private final String name;

    private Container(String name) {
      this.name = name;
    }

    String name() {
      return name;
    }

    /** {@code podman exec NAME ARGS} */
    Result exec(String... args) {
      List<String> all = new ArrayList<>(List.of("exec", name));
      all.addAll(List.of(args));
      return podman(all.toArray(String[]::new));
    }

    /** {@code bin/dockevos client 'COMMAND'} inside the container. */
    Result client(String command) {
      return exec("/opt/dockevos/bin/dockevos", "client", command);
    }

    /** Waits until {@code bin/dockevos status --ready} answers 0 inside; fails with the log otherwise. */
    void awaitReady(Duration timeout) {
      long deadline = System.nanoTime() + timeout.toNanos();
      Result last = null;
      while (System.nanoTime() < deadline) {
        last = exec("/opt/dockevos/bin/dockevos", "status", "--ready");
        if (last.exit() == 0) {
          return;
        }
        if (!"true".equals(inspect("{{.State.Running}}"))) {
          break;
        }
        Await.sleep(100);
      }
      fail(name + " not ready within " + timeout.toSeconds() + " s: " + last + "\n--- its log ---\n" + logs());
    }

    /** The container's standard output and error so far ({@code podman logs}). */
    String logs() {
      Result r = podman("logs", name);
      return r.out() + r.err();
    }

    /** {@code podman inspect --format FORMAT NAME}, stripped. */
    String inspect(String format) {
      return podman("inspect", "--format", format, name).out().strip();
    }

    /** {@code podman stop -t SECONDS NAME}: SIGTERM, and SIGKILL after the timeout. */
    Result stop(int timeoutSeconds) {
      return podman("stop", "-t", Integer.toString(timeoutSeconds), name);
    }

    /** {@code podman rm -f -v NAME}: with its anonymous volumes */
    void remove() {
      podman("rm", "-f", "-v", "-t", "0", name);
    }
  }
}
