package io.dockevos.hardware;

/**
 * The hardware facts that the system bundle provides as a capability, so that a plugin can require a
 * machine of a given size; the framework's resolver refuses it on a smaller one:
 *
 * <pre>
 * Require-Capability: dockevos.hardware;filter:="(&amp;(cores&gt;=4)(memory.mb&gt;=8192))"
 * </pre>
 *
 * <p>The launcher computes them at start with plain JDK calls.
 *
 * @since 0.1
 */
public final class HardwareCapability {
  /** The capability namespace. */
  public static final String NAMESPACE = "dockevos.hardware";
  /** The processors the JVM may use, a {@code Long}. */
  public static final String CORES = "cores";
  /** The physical memory in MiB, a {@code Long}. */
  public static final String MEMORY_MB = "memory.mb";
  /** The {@code os.name}, for example {@code Linux}, a {@code String}. */
  public static final String OS_NAME = "os.name";
  /** The {@code os.arch}, for example {@code amd64}, a {@code String}. */
  public static final String OS_ARCH = "os.arch";

  private HardwareCapability() {}
}
