package io.dockevos.external.internal;

import io.dockevos.hardware.HardwareAnalyzer;
import io.dockevos.hardware.HardwareEvents;
import io.dockevos.hardware.SystemTools;
import io.dockevos.hardware.ToolCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

/**
 * The {@code requires} of a {@code plugin.yaml}: system tools, each a name on the PATH ({@code
 * python3}), a name with the version it needs ({@code python3>=3.8}; also {@code >}, {@code =},
 * {@code <}, {@code <=}), or a path. A version is the requirement a bundle plugin states as {@code
 * (&(dockevos.system=python3)(version>=3.8.0))}, and is checked by the hardware analyzer as {@code
 * hw:check} checks it (the feature {@code dockevos-hardware}); without it, a tool is looked for on
 * the PATH, and its version is not checked ({@code external:info} says so).
 */
final class RequiredTools {
  /** A name, with an operator and a version, or a path; {@code plugin.schema.json} has the same pattern. */
  private static final Pattern FORM = Pattern.compile(
      "([A-Za-z0-9][A-Za-z0-9._+-]*)(?: *(>=|<=|>|<|=) *([0-9]+(?:[.][0-9]+){0,2}))?|([^<>= ]*/[^<>= ]*)");

  /**
   * One tool of {@code requires}.
   *
   * @param op {@code >=}, {@code >}, {@code =}, {@code <} or {@code <=}, or {@code null} for any version
   */
  record Requirement(String tool, String op, String version) {
    /** @return the requirement parsed, or {@code null} when it is none of the forms */
    static Requirement parse(String text) {
      Matcher m = FORM.matcher(text.strip());
      if (!m.matches()) {
        return null;
      }
      return m.group(4) != null ? new Requirement(m.group(4), null, null) : new Requirement(m.group(1), m.group(2),
          m.group(3));
    }

    boolean versioned() {
      return op != null;
    }

    /** @return as plugin.yaml says it: {@code python3>=3.8} */
    @Override
    public String toString() {
      return versioned() ? tool + op + version : tool;
    }

    /** @return the filter a bundle plugin states: {@code (&(dockevos.system=python3)(version>=3.8.0))} */
    String filter() {
      String name = "(" + SystemTools.NAMESPACE + "=" + tool + ")";
      if (!versioned()) {
        return name;
      }
      String v = version + ".0".repeat(2 - (int) version.chars().filter(c -> c == '.').count());
      String clause = switch (op) {
        case ">" -> "(!(version<=" + v + "))";
        case "<" -> "(!(version>=" + v + "))";
        default -> "(version" + op + v + ")";
      };
      return "(&" + name + clause + ")";
    }
  }

  private RequiredTools() {}

  /** @return the requirements of the plugin; those that do not parse (PluginYaml refuses them) are left out */
  static List<Requirement> of(PluginDescriptor d) {
    List<Requirement> out = new ArrayList<>();
    for (String r : d.requires()) {
      Requirement req = Requirement.parse(r);
      if (req != null) {
        out.add(req);
      }
    }
    return out;
  }

  /**
   * Checks what the plugin requires: each tool on the PATH, and, with the hardware analyzer, the
   * version of each tool that names one. A tool that is missing or too old is published as {@link
   * HardwareEvents#TOOL_MISSING}, as a bundle plugin's is.
   *
   * @param hardware the hardware analyzer, or {@code null} when the feature is not installed
   * @param events Event Admin, or {@code null}
   * @return why the plugin cannot start, or {@code null} when all it requires is there
   */
  static String unmet(PluginDescriptor d, HardwareAnalyzer hardware, EventAdmin events) {
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    List<String> missing = new ArrayList<>();
    List<String> old = new ArrayList<>();
    for (Requirement r : of(d)) {
      if (!onPath(r.tool(), path)) {
        missing.add(r.toString());
        publish(events, d, r, null, hardware == null ? "install " + r.tool() : check(hardware, d, r).hint(),
            d.name() + " requires " + r + ", which is not installed");
        continue;
      }
      if (!r.versioned() || hardware == null) {
        continue;
      }
      ToolCheck c = check(hardware, d, r);
      if (!c.ok()) {
        String found = c.found() == null ? c.path() + " tells no version" : "the installed one is " + c.found() + " ("
            + c.path() + ")";
        old.add(r + ", but " + found + "; " + c.hint());
        publish(events, d, r, c.found(), c.hint(), d.name() + " requires " + r + ", but " + found);
      }
    }
    if (!missing.isEmpty()) {
      return "it requires " + String.join(", ", missing) + " (requires of " + d.file() + "), not found on the PATH "
          + path + "; install " + (missing.size() == 1 ? "it" : "them") + ", then external:start " + d.name();
    }
    if (!old.isEmpty()) {
      return "it requires " + String.join("; and ", old) + " (requires of " + d.file() + "); then external:start "
          + d.name();
    }
    return null;
  }

  private static ToolCheck check(HardwareAnalyzer hardware, PluginDescriptor d, Requirement r) {
    try {
      return hardware.checkFilter(r.filter(), d.name());
    } catch (RuntimeException e) {
      return new ToolCheck(r.tool(), r.op() + r.version(), ToolCheck.Status.TOO_OLD, null, r.tool(),
          "its version cannot be checked: " + e.getMessage(), d.name(), r.filter());
    }
  }

  /**
   * @return what {@code external:info} adds to its limits: the versions it cannot check without the
   *     hardware analyzer; empty when there are none
   */
  static String note(PluginDescriptor d, boolean hardware) {
    List<String> versioned = of(d).stream().filter(Requirement::versioned).map(Requirement::toString).toList();
    return hardware || versioned.isEmpty() ? "" : "; requires " + String.join(", ", versioned) + ": versions not"
        + " checked (only that the tools are on the PATH) without the feature dockevos-hardware";
  }

  static boolean onPath(String tool, String path) {
    return tool.contains("/") ? Files.isExecutable(Path.of(tool)) : java.util.Arrays.stream(path.split(":"))
        .filter(dir -> !dir.isEmpty()).anyMatch(dir -> Files.isExecutable(Path.of(dir, tool)));
  }

  private static void publish(EventAdmin events, PluginDescriptor d, Requirement r, String found, String hint,
      String reason) {
    if (events == null) {
      return;
    }
    Map<String, Object> p = new HashMap<>();
    p.put(HardwareEvents.TOOL, r.tool());
    p.put(HardwareEvents.REQUIRED, r.versioned() ? r.op() + r.version() : "any version");
    if (found != null) {
      p.put(HardwareEvents.FOUND, found);
    }
    if (hint != null) {
      p.put(HardwareEvents.HINT, hint);
    }
    p.put(HardwareEvents.PLUGIN_ID, d.name());
    p.put(HardwareEvents.REASON, reason);
    p.put(io.dockevos.external.ExternalPlugins.KIND, io.dockevos.external.ExternalPlugins.EXTERNAL);
    events.postEvent(new Event(HardwareEvents.TOOL_MISSING, p));
  }
}
