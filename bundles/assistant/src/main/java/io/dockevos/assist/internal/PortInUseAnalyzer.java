package io.dockevos.assist.internal;

import io.dockevos.assist.Diagnosis;
import io.dockevos.assist.ErrorAnalyzer;
import io.dockevos.error.Incident;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An address already in use ({@code java.net.BindException}): names the port, from the incident's
 * {@code port} or its message, and the process that holds it, read from {@code /proc}.
 *
 * <p>One of the {@link BuiltInAnalyzers}, which gives it its services.
 */
public final class PortInUseAnalyzer implements ErrorAnalyzer {
  static final String NAME = "port-in-use";
  private static final Pattern PORT = Pattern.compile("(?:port\\s*[=:]?\\s*|:)(\\d{1,5})\\b");
  private final ProcNet net;

  public PortInUseAnalyzer() {
    this(new ProcNet(Path.of("/proc")));
  }

  PortInUseAnalyzer(ProcNet net) {
    this.net = net;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<Diagnosis> analyze(Incident incident) {
    String exception = Keys.get(incident, Keys.EXCEPTION);
    String text = Keys.text(incident);
    if (!(exception != null && exception.endsWith("BindException")) && !text.contains("BindException")
        && !text.contains("Address already in use")) {
      return List.of();
    }
    Integer port = port(incident);
    String plugin = Keys.plugin(incident);
    String pid = Keys.get(incident, Keys.CONFIG_PID);
    List<String> steps = new ArrayList<>();
    String cause;
    if (port == null) {
      cause = (plugin == null ? "A bundle" : plugin) + " cannot listen: its address is already in use by another"
          + " process (the port is not named)";
      steps.add("find the port in the log (data/log/dockevos.log) and the process that holds it");
    } else {
      Optional<ProcNet.Holder> holder = net.holder(port);
      long self = ProcessHandle.current().pid();
      String by = holder.map(h -> h.pid() == self ? " by this dockevOS process itself (pid " + self + ": another"
          + " plugin or a second listener)" : " by process " + h.pid() + " (" + h.command() + ")")
          .orElse(net.listening(port).isEmpty() ? " (nothing listens on it now: it may have been freed since)"
              : " by a process that cannot be read (another user's)");
      cause = (plugin == null ? "A bundle" : plugin) + " cannot listen on port " + port + ": the port is already in use"
          + by;
      holder.filter(h -> h.pid() != self).ifPresent(h -> steps.add("stop process " + h.pid()
          + " if it should not run (kill " + h.pid() + ")"));
      steps.add("or give " + (pid != null ? "the configuration " + pid : plugin != null ? plugin : "the bundle")
          + " another port" + (pid != null ? " (config:get " + pid + " shows it)" : "") + ", then restart it");
    }
    return List.of(new Diagnosis(NAME, cause, port == null ? 0.6 : 0.9,
        List.of(BasicFix.manual(port == null ? "free the address or use another" : "free port " + port
            + " or use another", steps))));
  }

  static Integer port(Incident incident) {
    String p = Keys.get(incident, Keys.PORT);
    if (p != null && p.matches("\\d{1,5}")) {
      return Integer.valueOf(p);
    }
    Matcher m = PORT.matcher(Keys.text(incident));
    while (m.find()) {
      int n = Integer.parseInt(m.group(1));
      if (n > 0 && n < 65536) {
        return n;
      }
    }
    return null;
  }
}
