package io.dockevos.hardware;

import java.util.List;

/**
 * What the system is, as the hardware analyzer detected it.
 *
 * @param cpu the processor
 * @param memory the physical memory
 * @param disks the file systems, each with its free space
 * @param networks the network interfaces
 * @param os the operating system and its kernel
 * @param jvm the Java virtual machine that runs dockevOS
 * @param container whether dockevOS runs inside a container, and which heuristic said so
 * @since 0.1
 */
public record HardwareInfo(Cpu cpu, Memory memory, List<Disk> disks, List<Network> networks, Os os, Jvm jvm,
    Container container) {
  public HardwareInfo {
    disks = List.copyOf(disks);
    networks = List.copyOf(networks);
  }

  /**
   * @param model the processor's name, for example {@code Intel(R) Xeon(R) CPU @ 2.20GHz}
   * @param physicalCores the physical cores
   * @param logicalCores the logical processors (hardware threads), what {@code nproc} counts
   *     without an affinity mask
   * @param availableProcessors what the JVM may use ({@code Runtime.availableProcessors()})
   */
  public record Cpu(String model, int physicalCores, int logicalCores, int availableProcessors) {}

  /**
   * @param totalBytes the physical memory
   * @param availableBytes the memory available to new programs without swapping
   */
  public record Memory(long totalBytes, long availableBytes) {}

  /**
   * @param mount where it is mounted
   * @param type its file system type, for example {@code ext4}
   * @param totalBytes its size
   * @param freeBytes the space that is usable (not reserved)
   */
  public record Disk(String mount, String type, long totalBytes, long freeBytes) {
    /** The usable space in percent of the size, 0 for a file system of size 0. */
    public double freePercent() {
      return totalBytes <= 0 ? 0 : 100.0 * freeBytes / totalBytes;
    }
  }

  /**
   * @param name the interface name, for example {@code eth0}
   * @param mac its hardware address, or an empty string
   * @param addresses its IPv4 and IPv6 addresses
   * @param up whether it is up
   * @param speedBitsPerSecond its speed, 0 when unknown
   */
  public record Network(String name, String mac, List<String> addresses, boolean up, long speedBitsPerSecond) {
    public Network {
      addresses = List.copyOf(addresses);
    }
  }

  /**
   * @param family for example {@code Debian GNU/Linux}
   * @param version for example {@code 12 (bookworm)}
   * @param kernel the kernel release, for example {@code 6.1.0-18-amd64}
   * @param arch the architecture, as {@code os.arch} names it
   * @param bitness 32 or 64
   */
  public record Os(String family, String version, String kernel, String arch, int bitness) {}

  /**
   * @param vendor the {@code java.vendor}
   * @param version the {@code java.version}
   * @param vmName the {@code java.vm.name}
   * @param home the {@code java.home}
   * @param maxHeapBytes the maximum heap
   * @param pid the process id, as the operating system tells it through a native call (on Linux
   *     {@code getpid()} through JNA), which shows that native access works
   */
  public record Jvm(String vendor, String version, String vmName, String home, long maxHeapBytes, long pid) {}

  /**
   * @param inside whether dockevOS runs inside a container
   * @param evidence which heuristic fired, in plain words (for example {@code /.dockerenv exists}),
   *     or why none did
   */
  public record Container(boolean inside, String evidence) {}
}
