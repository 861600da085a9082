package io.dockevos.hardware.internal;

import io.dockevos.hardware.HardwareInfo;
import io.dockevos.hardware.ResourceSample;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import oshi.SystemInfo;
import oshi.hardware.CentralProcessor;
import oshi.hardware.GlobalMemory;
import oshi.hardware.HardwareAbstractionLayer;
import oshi.hardware.NetworkIF;
import oshi.software.os.OSFileStore;
import oshi.software.os.OperatingSystem;

/**
 * Reads the facts from OSHI and turns them into the API's records: no OSHI type leaves this class.
 * Creating the OSHI {@code SystemInfo} loads JNA's native library, so it happens at the first use.
 */
final class Detector {
  private final SystemInfo system = new SystemInfo();
  private final HardwareAbstractionLayer hal = system.getHardware();
  private final Object cpuLock = new Object();
  private long[] lastTicks;

  HardwareInfo info() {
    CentralProcessor p = hal.getProcessor();
    HardwareInfo.Cpu cpu = new HardwareInfo.Cpu(p.getProcessorIdentifier().getName().strip(),
        p.getPhysicalProcessorCount(), p.getLogicalProcessorCount(), Runtime.getRuntime().availableProcessors());
    GlobalMemory m = hal.getMemory();
    HardwareInfo.Memory memory = new HardwareInfo.Memory(m.getTotal(), m.getAvailable());
    OperatingSystem os = system.getOperatingSystem();
    List<HardwareInfo.Disk> disks = disks(os);
    List<HardwareInfo.Network> networks = new ArrayList<>();
    for (NetworkIF n : hal.getNetworkIFs(true)) {
      List<String> addresses = new ArrayList<>(List.of(n.getIPv4addr()));
      addresses.addAll(List.of(n.getIPv6addr()));
      networks.add(new HardwareInfo.Network(n.getName(), n.getMacaddr(), addresses,
          n.getIfOperStatus() == NetworkIF.IfOperStatus.UP, n.getSpeed()));
    }
    OperatingSystem.OSVersionInfo v = os.getVersionInfo();
    String version = v.getVersion() + (v.getCodeName() == null || v.getCodeName().isEmpty() ? "" : " (" + v.getCodeName() + ")");
    HardwareInfo.Os o = new HardwareInfo.Os(os.getFamily(), version, kernel(v), System.getProperty("os.arch"), os.getBitness());
    HardwareInfo.Jvm jvm = new HardwareInfo.Jvm(System.getProperty("java.vendor"), System.getProperty("java.version"),
        System.getProperty("java.vm.name"), System.getProperty("java.home"), Runtime.getRuntime().maxMemory(),
        os.getProcessId());
    return new HardwareInfo(cpu, memory, disks, networks, o, jvm, ContainerDetection.detect(Path.of("/")));
  }

  /** On Linux OSHI gives the kernel release as the build number; elsewhere {@code os.version}. */
  private static String kernel(OperatingSystem.OSVersionInfo v) {
    String build = v.getBuildNumber();
    return build == null || build.isEmpty() ? System.getProperty("os.version") : build;
  }

  private static List<HardwareInfo.Disk> disks(OperatingSystem os) {
    List<HardwareInfo.Disk> disks = new ArrayList<>();
    for (OSFileStore s : os.getFileSystem().getFileStores(true)) {
      disks.add(new HardwareInfo.Disk(s.getMount(), s.getType(), s.getTotalSpace(), s.getUsableSpace()));
    }
    return disks;
  }

  /** One sample; the CPU load is the load since the previous sample (0 at the first one). */
  ResourceSample sample() {
    double cpuLoad;
    CentralProcessor p = hal.getProcessor();
    synchronized (cpuLock) {
      long[] ticks = p.getSystemCpuLoadTicks();
      cpuLoad = lastTicks == null ? 0 : 100 * p.getSystemCpuLoadBetweenTicks(lastTicks);
      lastTicks = ticks;
    }
    GlobalMemory m = hal.getMemory();
    double memFree = m.getTotal() <= 0 ? 100 : 100.0 * m.getAvailable() / m.getTotal();
    double diskFree = 100;
    String disk = "";
    for (OSFileStore s : system.getOperatingSystem().getFileSystem().getFileStores(true)) {
      // A read-only file system (a squashfs image, an ISO) is full by design.
      if (java.util.Arrays.asList(s.getOptions().split(",")).contains("ro")) {
        continue;
      }
      HardwareInfo.Disk d = new HardwareInfo.Disk(s.getMount(), s.getType(), s.getTotalSpace(), s.getUsableSpace());
      if (d.totalBytes() > 0 && d.freePercent() < diskFree) {
        diskFree = d.freePercent();
        disk = d.mount();
      }
    }
    return new ResourceSample(diskFree, disk, memFree, cpuLoad);
  }
}
