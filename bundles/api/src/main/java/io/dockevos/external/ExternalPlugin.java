package io.dockevos.external;

import java.time.Instant;
import java.util.List;

/**
 * An external plugin as the runtime sees it now.
 *
 * @param name its name, from {@code plugin.yaml}: the scope of its commands ({@code NAME:TOOL})
 * @param version its version
 * @param description what it does
 * @param runtime {@code process} or {@code container}
 * @param state its state
 * @param enabled whether it starts with the runtime
 * @param pid the process's id while it runs (of a container plugin: its container's first process, as the
 *     host sees it), else -1
 * @param restarts how many times the supervisor restarted it since it was started
 * @param startedAt when its process started, or {@code null}
 * @param tools the names of its tools, as its last {@code tools/list} gave them
 * @param reason why it is FAILED or was last restarted, or {@code null}
 * @param limits the limits it runs with, in words ({@code memory 256 MB, open files 256}), and
 *     what could not be applied on this system
 * @param folder where its files are
 * @since 0.1
 */
public record ExternalPlugin(String name, String version, String description, String runtime, State state,
    boolean enabled, long pid, int restarts, Instant startedAt, List<String> tools, String reason, String limits,
    String folder) {

  /** The states of an external plugin. */
  public enum State {
    /** Installed, not running: stopped or disabled. */
    STOPPED,
    /** Its process started; the MCP handshake is under way. */
    STARTING,
    /** Initialized and answering. */
    ACTIVE,
    /** It ended or stopped answering; it waits for its next start (backoff). */
    RESTARTING,
    /** It failed too often within the window (the circuit breaker), or cannot start at all; an incident says why. */
    FAILED,
    /**
     * A container plugin whose container engine is missing or DOWN: it waits, with an incident, and
     * starts once the engine is UP (never as a plain process instead).
     *
     * @since 0.2
     */
    DOWN
  }
}
