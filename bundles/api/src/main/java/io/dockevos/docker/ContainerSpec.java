package io.dockevos.docker;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What to create a container from: the image, the command, the environment, the limits, the
 * network and the hardening. Immutable; make one with {@link #builder(String)}.
 *
 * @param image the image, {@code repo:tag}
 * @param name the container's name, or {@code null} for one the engine picks
 * @param command the command, or empty for the image's own
 * @param env environment variables
 * @param labels labels
 * @param memoryBytes the memory limit in bytes, 0 for none
 * @param cpus the share of CPUs, such as {@code 0.5}, 0 for no limit
 * @param pids the limit on processes, 0 for none
 * @param network {@code none}, {@code bridge}, or {@code null} for the engine's default
 * @param ports the published ports
 * @param readOnlyRootfs whether the root file system is read-only
 * @param capDrop the capabilities dropped, such as {@code ALL}
 * @param noNewPrivileges whether the processes may not gain privileges (setuid)
 * @param user the user, {@code uid[:gid]} or a name, or {@code null} for the image's
 * @param mounts bind mounts and volumes
 * @param tmpfs tmpfs mounts: the path and its options (such as {@code size=16m})
 * @param workDir the working directory, or {@code null} for the image's
 * @since 0.1
 */
public record ContainerSpec(String image, String name, List<String> command, Map<String, String> env,
    Map<String, String> labels, long memoryBytes, double cpus, int pids, String network, List<PortBinding> ports,
    boolean readOnlyRootfs, List<String> capDrop, boolean noNewPrivileges, String user, List<Mount> mounts,
    Map<String, String> tmpfs, String workDir) {

  public ContainerSpec {
    Objects.requireNonNull(image, "image");
    if (image.isBlank()) {
      throw new IllegalArgumentException("the image is empty");
    }
    command = List.copyOf(command);
    env = Map.copyOf(env);
    labels = Map.copyOf(labels);
    ports = List.copyOf(ports);
    capDrop = List.copyOf(capDrop);
    mounts = List.copyOf(mounts);
    tmpfs = Map.copyOf(tmpfs);
    if (memoryBytes < 0 || cpus < 0 || pids < 0) {
      throw new IllegalArgumentException("limits are not negative");
    }
  }

  public static Builder builder(String image) {
    return new Builder(image);
  }

  /** A builder that starts from this spec. */
  public Builder toBuilder() {
    Builder b = new Builder(image).name(name).command(command).memory(memoryBytes).cpus(cpus).pids(pids)
        .network(network).readOnlyRootfs(readOnlyRootfs).noNewPrivileges(noNewPrivileges).user(user).workDir(workDir);
    b.env.putAll(env);
    b.labels.putAll(labels);
    b.ports.addAll(ports);
    b.capDrop.addAll(capDrop);
    b.mounts.addAll(mounts);
    b.tmpfs.putAll(tmpfs);
    return b;
  }

  /**
   * A published port. The host address is {@code 127.0.0.1} unless one is named.
   *
   * @param hostIp the host address to bind
   * @param hostPort the host port, 0 for one the engine picks
   * @param containerPort the container's port
   * @param protocol {@code tcp} or {@code udp}
   */
  public record PortBinding(String hostIp, int hostPort, int containerPort, String protocol) {
    public static final String LOOPBACK = "127.0.0.1";

    public PortBinding {
      hostIp = hostIp == null || hostIp.isEmpty() ? LOOPBACK : hostIp;
      protocol = protocol == null || protocol.isEmpty() ? "tcp" : protocol;
      if (containerPort < 1 || containerPort > 65535 || hostPort < 0 || hostPort > 65535) {
        throw new IllegalArgumentException("a port is between 1 and 65535");
      }
      if (!protocol.equals("tcp") && !protocol.equals("udp")) {
        throw new IllegalArgumentException("the protocol is tcp or udp, not " + protocol);
      }
    }

    /**
     * Parses {@code [HOST_IP:]HOST_PORT:CONTAINER_PORT[/PROTOCOL]} or {@code CONTAINER_PORT}, as
     * {@code docker run -p} does, except that the host address defaults to loopback.
     *
     * @throws IllegalArgumentException naming the text when it is not one
     */
    public static PortBinding parse(String text) {
      try {
        String protocol = "tcp";
        String rest = text;
        int slash = rest.indexOf('/');
        if (slash >= 0) {
          protocol = rest.substring(slash + 1);
          rest = rest.substring(0, slash);
        }
        int last = rest.lastIndexOf(':');
        if (last < 0) {
          return new PortBinding(LOOPBACK, 0, Integer.parseInt(rest), protocol);
        }
        int containerPort = Integer.parseInt(rest.substring(last + 1));
        String host = rest.substring(0, last);
        int colon = host.lastIndexOf(':');
        String ip = colon < 0 ? LOOPBACK : host.substring(0, colon).replace("[", "").replace("]", "");
        String hostPort = colon < 0 ? host : host.substring(colon + 1);
        return new PortBinding(ip, hostPort.isEmpty() ? 0 : Integer.parseInt(hostPort), containerPort, protocol);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("'" + text + "' is not a port: [HOST_IP:]HOST_PORT:CONTAINER_PORT[/tcp|udp]"
            + (e.getMessage() != null && !(e instanceof NumberFormatException) ? " (" + e.getMessage() + ")" : ""));
      }
    }

    @Override
    public String toString() {
      return hostIp + ":" + hostPort + "->" + containerPort + "/" + protocol;
    }
  }

  /**
   * A bind mount or a named volume.
   *
   * @param source a host path (absolute) or a volume name
   * @param target the path in the container
   * @param readOnly whether it is mounted read-only
   */
  public record Mount(String source, String target, boolean readOnly) {
    public Mount {
      if (source == null || source.isEmpty() || target == null || !target.startsWith("/")) {
        throw new IllegalArgumentException("a mount is SOURCE:/TARGET[:ro]");
      }
    }

    /** Parses {@code SOURCE:/TARGET[:ro|rw]}, as {@code docker run -v}. */
    public static Mount parse(String text) {
      String[] parts = text.split(":");
      try {
        if (parts.length == 2) {
          return new Mount(parts[0], parts[1], false);
        }
        if (parts.length == 3 && (parts[2].equals("ro") || parts[2].equals("rw"))) {
          return new Mount(parts[0], parts[1], parts[2].equals("ro"));
        }
      } catch (IllegalArgumentException e) {
        // named below
      }
      throw new IllegalArgumentException("'" + text + "' is not a mount: SOURCE:/TARGET[:ro]");
    }

    public boolean bind() {
      return source.startsWith("/");
    }
  }

  /** Builds a {@link ContainerSpec}. */
  public static final class Builder {
    private final String image;
    private String name;
    private List<String> command = List.of();
    private final Map<String, String> env = new LinkedHashMap<>();
    private final Map<String, String> labels = new LinkedHashMap<>();
    private long memoryBytes;
    private double cpus;
    private int pids;
    private String network;
    private final List<PortBinding> ports = new ArrayList<>();
    private boolean readOnlyRootfs;
    private final List<String> capDrop = new ArrayList<>();
    private boolean noNewPrivileges;
    private String user;
    private final List<Mount> mounts = new ArrayList<>();
    private final Map<String, String> tmpfs = new LinkedHashMap<>();
    private String workDir;

    Builder(String image) {
      this.image = image;
    }

    public Builder name(String name) {
      this.name = name;
      return this;
    }

    public Builder command(List<String> command) {
      this.command = List.copyOf(command);
      return this;
    }

    public Builder command(String... command) {
      return command(List.of(command));
    }

    public Builder env(String key, String value) {
      env.put(key, value);
      return this;
    }

    public Builder env(Map<String, String> env) {
      this.env.putAll(env);
      return this;
    }

    public Builder label(String key, String value) {
      labels.put(key, value);
      return this;
    }

    public Builder labels(Map<String, String> labels) {
      this.labels.putAll(labels);
      return this;
    }

    public Builder memory(long bytes) {
      this.memoryBytes = bytes;
      return this;
    }

    public Builder cpus(double cpus) {
      this.cpus = cpus;
      return this;
    }

    public Builder pids(int pids) {
      this.pids = pids;
      return this;
    }

    public Builder network(String network) {
      this.network = network;
      return this;
    }

    public Builder port(PortBinding port) {
      ports.add(port);
      return this;
    }

    public Builder readOnlyRootfs(boolean readOnly) {
      this.readOnlyRootfs = readOnly;
      return this;
    }

    public Builder capDrop(String capability) {
      capDrop.add(capability);
      return this;
    }

    public Builder noNewPrivileges(boolean noNewPrivileges) {
      this.noNewPrivileges = noNewPrivileges;
      return this;
    }

    public Builder user(String user) {
      this.user = user;
      return this;
    }

    public Builder mount(Mount mount) {
      mounts.add(mount);
      return this;
    }

    public Builder tmpfs(String path, String options) {
      tmpfs.put(path, options == null ? "" : options);
      return this;
    }

    public Builder workDir(String workDir) {
      this.workDir = workDir;
      return this;
    }

    /**
     * The sandbox: no network, every capability dropped, no new privileges, a read-only root file
     * system with a small tmpfs on {@code /tmp}, and the user {@code 65534:65534} (nobody).
     */
    public Builder hardened() {
      network = "none";
      if (!capDrop.contains("ALL")) {
        capDrop.add("ALL");
      }
      noNewPrivileges = true;
      readOnlyRootfs = true;
      tmpfs.putIfAbsent("/tmp", "rw,size=16m,mode=1777");
      user = user == null ? "65534:65534" : user;
      return this;
    }

    public ContainerSpec build() {
      return new ContainerSpec(image, name, command, env, labels, memoryBytes, cpus, pids, network, ports,
          readOnlyRootfs, capDrop, noNewPrivileges, user, mounts, tmpfs, workDir);
    }
  }
}
