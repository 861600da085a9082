package io.dockevos.webconsole.internal;

import io.dockevos.hardware.HardwareAnalyzer;
import io.dockevos.hardware.HardwareInfo;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.apache.felix.webconsole.servlet.ServletConstants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * The tab Hardware: what the hardware analyzer of the feature {@code dockevos-hardware} reports (CPU,
 * memory, disks, networks, the OS, the JVM, whether it runs in a container), as {@code hw:info} does;
 * without it, the tab says how to install it. It only reads.
 */
@Component(service = Servlet.class, property = {
    ServletConstants.PLUGIN_LABEL + "=" + HardwareTab.LABEL,
    ServletConstants.PLUGIN_TITLE + "=dockevOS Hardware",
    ServletConstants.PLUGIN_CATEGORY + "=" + Tab.CATEGORY})
public final class HardwareTab extends Tab {
  private static final long serialVersionUID = 1L;
  static final String LABEL = "dockevos-hardware";
  private static final long MIB = 1024 * 1024;

  private final transient Audit audit;
  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
  private transient volatile HardwareAnalyzer analyzer;

  @Activate
  public HardwareTab(@Reference Audit audit) {
    this.audit = audit;
  }

  @Override
  String label() {
    return LABEL;
  }

  @Override
  Audit audit() {
    return audit;
  }

  @Override
  void render(HttpServletRequest req, PrintWriter out, Forms forms) {
    HardwareAnalyzer hw = analyzer;
    if (hw == null) {
      out.println("<p id=\"not-installed\">The hardware analyzer is not installed: <code>feature:install"
          + " dockevos-hardware</code> adds it.</p>");
      return;
    }
    HardwareInfo i = hw.info();
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("CPU", i.cpu().model() + ": " + i.cpu().physicalCores() + " cores, " + i.cpu().logicalCores()
        + " threads, " + i.cpu().availableProcessors() + " available to the JVM"));
    rows.add(List.of("Memory", i.memory().availableBytes() / MIB + " MiB available of " + i.memory().totalBytes() / MIB
        + " MiB"));
    rows.add(List.of("OS", i.os().family() + " " + i.os().version() + ", kernel " + i.os().kernel() + ", "
        + i.os().arch() + " (" + i.os().bitness() + " bit)"));
    rows.add(List.of("JVM", i.jvm().vendor() + " " + i.jvm().version() + " (" + i.jvm().vmName() + "), max heap "
        + i.jvm().maxHeapBytes() / MIB + " MiB, pid " + i.jvm().pid()));
    rows.add(List.of("Container", i.container().inside() ? "inside one (" + i.container().evidence() + ")" : "none"));
    table(out, "hardware", List.of("What", "Found"), rows);
    List<List<String>> disks = new ArrayList<>();
    for (HardwareInfo.Disk d : i.disks()) {
      disks.add(List.of(d.mount(), d.type(), d.freeBytes() / MIB + " MiB", d.totalBytes() / MIB + " MiB",
          Math.round(d.freePercent()) + "%"));
    }
    out.println("<h2>Disks</h2>");
    table(out, "disks", List.of("Mount", "Type", "Free", "Size", "Free %"), disks);
    List<List<String>> nets = new ArrayList<>();
    for (HardwareInfo.Network n : i.networks()) {
      nets.add(List.of(n.name(), n.up() ? "up" : "down", String.join(", ", n.addresses()), n.mac() == null ? ""
          : n.mac()));
    }
    out.println("<h2>Networks</h2>");
    table(out, "networks", List.of("Name", "State", "Addresses", "MAC"), nets);
  }

  @Override
  Outcome act(HttpServletRequest req, Sessions.Session s) {
    return Outcome.failed("The Hardware tab only shows");
  }
}
