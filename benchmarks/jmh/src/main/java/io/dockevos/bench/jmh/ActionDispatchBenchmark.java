package io.dockevos.bench.jmh;

import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The overhead of action dispatch against a direct service call: the example plugin's {@code
 * greet} action ({@code {"name": "World"}}: one line of output, one progress report, a counter
 * incremented, a small map returned) in a real embedded dockevOS, called three ways:
 *
 * <ul>
 *   <li>{@code a_direct}: {@code Action.invoke(input, context)} on the service object, held by the
 *       caller, with a context that keeps what is streamed;</li>
 *   <li>{@code b_dispatch}: {@code ActionService.invoke("io.dockevos.example.greeter", "greet",
 *       input, null, listener)}: look-up, validation against the JSON schema, the executor thread,
 *       the output and progress handed back to the caller's thread, figures, an Event Admin event;
 *       and whatever Declarative Services does around the runtime's getService/ungetService;</li>
 *   <li>{@code c_dispatchComponentKept}: the same dispatch while the benchmark holds the action's
 *       service too (as in {@code a_direct}), so that its component stays active between calls: the
 *       dispatch machinery without the component's life cycle.</li>
 * </ul>
 *
 * Each runs in its own fork, with a runtime of its own (so {@code -f 0} is not supported: the
 * states would start several runtimes in one JVM). Average time per call.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
public class ActionDispatchBenchmark {
  static final String ACTION = "greet";
  static final Map<String, Object> INPUT = Map.of("name", "World");

  /** A runtime, and the action called on its service object. */
  @State(Scope.Benchmark)
  public static class Direct {
    EmbeddedRuntime runtime;
    Callable<Object> call;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
      runtime = EmbeddedRuntime.start();
      call = runtime.directCall(ACTION, INPUT);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
      runtime.close();
    }
  }

  /** A runtime, and the action dispatched through its ActionService. */
  @State(Scope.Benchmark)
  public static class Dispatch {
    EmbeddedRuntime runtime;
    Callable<Object> call;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
      runtime = EmbeddedRuntime.start();
      call = runtime.dispatchCall(ACTION, INPUT);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
      runtime.close();
    }
  }

  /** As {@link Dispatch}, with the action's service held so that its component stays active. */
  @State(Scope.Benchmark)
  public static class DispatchComponentKept {
    EmbeddedRuntime runtime;
    Callable<Object> call;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
      runtime = EmbeddedRuntime.start();
      runtime.holdAction(ACTION);
      call = runtime.dispatchCall(ACTION, INPUT);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
      runtime.close();
    }
  }

  @Benchmark
  public Object a_direct(Direct s) throws Exception {
    return s.call.call();
  }

  @Benchmark
  public Object b_dispatch(Dispatch s) throws Exception {
    return s.call.call();
  }

  @Benchmark
  public Object c_dispatchComponentKept(DispatchComponentKept s) throws Exception {
    return s.call.call();
  }
}
