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
 * open for one attach ({@code OpenStdin} and {@code StdinOnce}: the engine closes the container's
 * stdin when the attach's ends) and an init as PID 1, attached before it starts, its output frames
 * parted into stdout and stderr pipes. The attach is an {@link AttachConnection} of its own, which
 * passes the end of stdin on (a half-close); for a TLS endpoint it is docker-java's hijacked attach,
 * which does not (the container's stdin then stays open until it stops).
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
      cmd.withStdinOpen(true).withStdInOnce(true).withAttachStdin(true).withAttachStdout(true).withAttachStderr(true)
          .withTty(false);
      cmd.getHostConfig().withInit(true);
    });
    Attached a = new Attached(id);
    try {
      DockerOptions options = engine.options();
      engine.call("attach to " + id, "container", id, () -> {
        if (AttachConnection.serves(options)) {
          attach(options, a);
        } else {
          attachWithDockerJava(engine, a);
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

  private static void attach(DockerOptions options, Attached a) {
    try {
      AttachConnection c = AttachConnection.open(options, a.id, TimeUnit.SECONDS.toMillis(ATTACH_TIMEOUT_S));
      a.link = c;
      c.pump("dockevos-attach-" + a.id.substring(0, Math.min(12, a.id.length())), a.stdin.input(), a);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void attachWithDockerJava(DockerEngineImpl engine, Attached a) {
    ResultCallback.Adapter<Frame> frames = new ResultCallback.Adapter<>() {
      @Override
      public void onNext(Frame f) {
        byte[] p = f.getPayload();
        a.output(f.getStreamType() == StreamType.STDERR, p, 0, p.length);
      }

      @Override
      public void onError(Throwable t) {
        a.ended(t);
      }

      @Override
      public void onComplete() {
        a.ended(null);
      }
    };
    a.link = () -> LinePump.closeQuietly(frames);
    engine.client().attachContainerCmd(a.id).withStdIn(a.stdin.input()).withStdOut(true).withStdErr(true)
        .withFollowStream(true).withLogs(true).exec(frames);
    try {
      if (!frames.awaitStarted(ATTACH_TIMEOUT_S, TimeUnit.SECONDS)) {
        throw new DockerException("The engine did not accept the attach to " + a.id + " within " + ATTACH_TIMEOUT_S + " s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DockerException("interrupted while attaching to " + a.id, e);
    }
  }

  private static final class Attached implements AttachedContainer, AttachConnection.Frames {
    private final String id;
    private final BytePipe stdin = new BytePipe();
    private final BytePipe stdout = new BytePipe();
    private final BytePipe stderr = new BytePipe();
    private volatile java.io.Closeable link;

    Attached(String id) {
      this.id = id;
    }

    @Override
    public void output(boolean err, byte[] bytes, int off, int len) {
      try {
        (err ? stderr : stdout).output().write(bytes, off, len);
      } catch (java.io.IOException closed) {
        // detached
      }
    }

    @Override
    public void ended(Throwable cause) {
      if (cause != null) {
        LOG.debug("the attach to {} ended: {}", id, Errors.cause(cause));
      }
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
      java.io.Closeable l = link;
      if (l != null) {
        LinePump.closeQuietly(l);
      }
      ended(null);
    }
  }
}
