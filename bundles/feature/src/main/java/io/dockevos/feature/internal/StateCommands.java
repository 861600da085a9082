package io.dockevos.feature.internal;

import io.dockevos.api.Host;
import io.dockevos.common.internal.CommandHelp;
import io.dockevos.common.internal.Json;
import io.dockevos.common.internal.Tables;
import io.dockevos.common.internal.TimeFormat;
import io.dockevos.feature.DesiredState;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;

/**
 * The {@code state:*} Gogo commands, a thin layer over {@link DesiredState}: what applying the state file
 * would change, applying it now, and where it stands. A failure is thrown as an {@link IllegalStateException}
 * with the state's message, which names the file, the entry and the cause.
 */
@Component(configurationPolicy = ConfigurationPolicy.IGNORE, service = StateCommands.class, property = {
    "osgi.command.scope=state", "osgi.command.function=diff", "osgi.command.function=apply",
    "osgi.command.function=status"})
public final class StateCommands {
  private final DesiredState state;
  private final Path home;

  @Activate
  public StateCommands(@Reference DesiredState state, BundleContext context) {
    this.state = state;
    String h = context.getProperty(Host.HOME_PROPERTY);
    this.home = Path.of(h == null ? "." : h).toAbsolutePath().normalize();
  }

  private String shown(String file) {
    Path p = Path.of(file);
    return p.startsWith(home) ? home.relativize(p).toString() : file;
  }

  @Descriptor("show what applying the desired-state file would change: features, plugins and configurations")
  public void diff(
      @Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
          absentValue = "false") boolean help,
      @Descriptor("print JSON") @Parameter(names = "--json", presentValue = "true", absentValue = "false")
          boolean json) {
    if (help) {
      CommandHelp.print(this, "state:diff");
      return;
    }
    List<DesiredState.Difference> diffs = FeatureCommands.call(state::diff);
    PrintStream out = System.out;
    if (json) {
      out.println(Json.pretty(diffs.stream().map(StateCommands::toMap).toList()));
      return;
    }
    DesiredState.Status s = state.status();
    if (s.phase() == DesiredState.Phase.NO_FILE) {
      out.println("No state file: " + shown(s.file()) + " does not exist; nothing to apply");
      return;
    }
    if (diffs.isEmpty()) {
      out.println("Nothing to change: the desired state " + shown(s.file()) + " is applied");
      return;
    }
    print(out, diffs);
  }

  @Descriptor("apply the desired-state file now, all or nothing (it is applied at start and whenever it changes)")
  public void apply(
      @Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
          absentValue = "false") boolean help) {
    if (help) {
      CommandHelp.print(this, "state:apply");
      return;
    }
    List<DesiredState.Difference> diffs = FeatureCommands.call(state::apply);
    DesiredState.Status s = state.status();
    PrintStream out = System.out;
    if (s.phase() == DesiredState.Phase.NO_FILE) {
      out.println("No state file: " + shown(s.file()) + " does not exist; nothing to apply");
    } else if (diffs.isEmpty()) {
      out.println("The desired state " + shown(s.file()) + " is applied already: nothing changed");
    } else {
      print(out, diffs);
      out.println("Applied the desired state " + shown(s.file()) + ": " + diffs.size() + " change"
          + (diffs.size() == 1 ? "" : "s"));
    }
  }

  @Descriptor("show where the desired state stands: its file, whether it is applied, and the last problem")
  public void status(
      @Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
          absentValue = "false") boolean help,
      @Descriptor("print JSON") @Parameter(names = "--json", presentValue = "true", absentValue = "false")
          boolean json) {
    if (help) {
      CommandHelp.print(this, "state:status");
      return;
    }
    DesiredState.Status s = state.status();
    PrintStream out = System.out;
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("file", s.file());
      m.put("phase", s.phase().name());
      m.put("digest", s.digest());
      m.put("applied", s.applied());
      m.put("at", s.at() == null ? null : s.at().toString());
      m.put("problem", s.problem());
      m.put("ready", s.ready());
      out.println(Json.pretty(m));
      return;
    }
    out.println("File:    " + shown(s.file()));
    out.println("Phase:   " + s.phase() + (s.at() == null ? "" : ", " + TimeFormat.of(s.at())));
    if (s.applied() != null) {
      out.println("Applied: " + s.applied().substring(0, 12));
    }
    if (s.problem() != null) {
      out.println("Problem: " + s.problem());
    }
  }

  private static void print(PrintStream out, List<DesiredState.Difference> diffs) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"Action", "Kind", "Name", "Reason"});
    diffs.forEach(d -> rows.add(new String[] {d.action(), d.kind(), d.name(), d.reason()}));
    Tables.print(out, rows);
  }

  static Map<String, Object> toMap(DesiredState.Difference d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("action", d.action());
    m.put("kind", d.kind());
    m.put("name", d.name());
    m.put("reason", d.reason());
    return m;
  }
}
