package io.dockevos.docker.internal;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import io.dockevos.docker.AttachedContainer;
import io.dockevos.docker.ContainerSpec;
import io.dockevos.docker.DockerException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link io.dockevos.docker.DockerEngine#runAttached}: a container created with its standard input
 * open and an init as PID 1, attached (docker-java's hijacked attach, stdin from a {@link BytePipe})
 * before it starts, its output frames parted into stdout and stderr pipes.
 */
final class Attachments {
  private static final Logger LOG = LoggerFactory.getLogger(Attachments.class);
  /** How long the engine has to accept the attach. */
  private static final long ATTACH_TIMEOUT_S = 10;

  private Attachments() {}

  static AttachedContainer run(DockerEngineImpl engine, ContainerSpec spec) {
    // An init as PID 1 (docker run --init): the command is not PID 1, so SIGTERM ends it (the kernel
    // gives PID 1 no default action), and what it forks is reaped.
    String id = engine.create(spec, cmd -> {
      cmd.withStdinOpen(true).withStdInOnce(false).withAttachStdin(true).withAttachStdout(true).withAttachStderr(true)
          .withTty(false);
      cmd.getHostConfig().withInit(true);
    });
    Attached a = new Attached(id);
    try {
      engine.call("attach to " + id, "container", id, () -> {
        engine.client().attachContainerCmd(id).withStdIn(a.stdin.input()).withStdOut(true).withStdErr(true)
            .withFollowStream(true).withLogs(true).exec(a.frames);
        try {
          if (!a.frames.awaitStarted(ATTACH_TIMEOUT_S, TimeUnit.SECONDS)) {
            throw new DockerException("The engine did not accept the attach to " + id + " within " + ATTACH_TIMEOUT_S
                + " s");
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new DockerException("interrupted while attaching to " + id, e);
        }
        return null;
      });
      engine.start(id);
      return a;
    } catch (RuntimeException e) {
      a.close();
      engine.removeQuietly(id);
      throw e;
    }
  }

  private static final class Attached implements AttachedContainer {
    private final String id;
    private final BytePipe stdin = new BytePipe();
    private final BytePipe stdout = new BytePipe();
    private final BytePipe stderr = new BytePipe();
    private final ResultCallback.Adapter<Frame> frames = new ResultCallback.Adapter<>() {
      @Override
      public void onNext(Frame f) {
        BytePipe to = f.getStreamType() == StreamType.STDERR ? stderr : stdout;
        try {
          to.output().write(f.getPayload());
        } catch (java.io.IOException closed) {
          // detached
        }
      }

      @Override
      public void onError(Throwable t) {
        LOG.debug("the attach to {} ended: {}", id, Errors.cause(t));
        ended();
      }

      @Override
      public void onComplete() {
        ended();
      }
    };

    Attached(String id) {
      this.id = id;
    }

    private void ended() {
      stdout.close();
      stderr.close();
    }

    @Override
    public String id() {
      return id;
    }

    @Override
    public OutputStream stdin() {
      return stdin.output();
    }

    @Override
    public InputStream stdout() {
      return stdout.input();
    }

    @Override
    public InputStream stderr() {
      return stderr.input();
    }

    @Override
    public void close() {
      stdin.close();
      LinePump.closeQuietly(frames);
      ended();
    }
  }
}
