package io.dockevos.core.internal;

import io.dockevos.action.ActionInfo;
import io.dockevos.action.ActionService;
import io.dockevos.common.internal.CommandHelp;
import io.dockevos.common.internal.Json;
import io.dockevos.error.ErrorHandler;
import io.dockevos.error.Incident;
import io.dockevos.feature.Feature;
import io.dockevos.feature.FeatureManager;
import io.dockevos.plugin.Plugin;
import io.dockevos.plugin.PluginManager;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * {@code dockevos:candidates KIND}: the live values an argument of that kind can take, for the
 * console's completion ({@code complete -c plugin:info -a 'dockevos:candidates plugins'} in
 * {@code etc/gosh_profile}). Each list comes from the service that holds it; a service that is not
 * there gives none.
 */
@Component(configurationPolicy = ConfigurationPolicy.IGNORE, service = CandidatesCommand.class,
    property = {"osgi.command.scope=dockevos", "osgi.command.function=candidates"})
public final class CandidatesCommand {
  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
  volatile PluginManager plugins;
  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
  volatile FeatureManager features;
  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
  volatile ErrorHandler errors;
  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
  volatile ActionService actions;
  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
  volatile ConfigurationAdmin configs;

  @Descriptor("list the values an argument can take, for completion: plugins, features, incidents, pids, actions, "
      + "or the input keys of an action")
  public List<String> candidates(
      @Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
          absentValue = "false") boolean help,
      @Descriptor("plugins, features, incidents, pids, actions (their commands), actions PLUGIN (its action names), "
          + "or keys ACTION-COMMAND, keys PLUGIN ACTION (the keys of its input schema, each with '=')") String kind,
      @Descriptor("the plugin, or the action") String... of) throws Exception {
    if (help) {
      CommandHelp.print(this, "dockevos:candidates");
      return null;
    }
    return switch (kind.toLowerCase(Locale.ROOT)) {
      case "plugins" -> plugins();
      case "features" -> features();
      case "incidents" -> incidents();
      case "pids" -> pids();
      case "actions" -> of.length == 0 ? actionCommands() : actionNames(of[0]);
      case "keys" -> of.length == 0 ? List.of() : keys(of);
      default -> throw new IllegalArgumentException("No kind of candidates named " + kind
          + "; the kinds: plugins, features, incidents, pids, actions, keys");
    };
  }

  /** {@code dockevos:candidates} without its arguments: its help with {@code --help}, else what it needs. */
  public void candidates(@Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
      absentValue = "false") boolean help) {
    CommandHelp.withoutArguments(this, "dockevos:candidates", help);
  }

  /** @return every plugin's symbolic name and id, and its name where that is one word */
  private List<String> plugins() {
    PluginManager pm = plugins;
    TreeSet<String> names = new TreeSet<>();
    List<String> ids = new ArrayList<>();
    if (pm != null) {
      for (Plugin p : pm.list()) {
        names.add(p.symbolicName());
        if (p.name() != null && !p.name().isBlank() && !p.name().matches(".*\\s.*")) {
          names.add(p.name());
        }
        ids.add(String.valueOf(p.id()));
      }
    }
    List<String> result = new ArrayList<>(names);
    result.addAll(ids);
    return result;
  }

  /** @return the names of the installed and available features */
  private List<String> features() {
    FeatureManager fm = features;
    TreeSet<String> names = new TreeSet<>();
    if (fm != null) {
      fm.installed().forEach(f -> names.add(name(f)));
      fm.available().forEach(f -> names.add(name(f)));
    }
    return new ArrayList<>(names);
  }

  private static String name(Feature f) {
    return f.name() == null || f.name().isBlank() ? f.id() : f.name();
  }

  /** @return the ids of every incident, open or not, newest first as the handler lists them */
  private List<String> incidents() {
    ErrorHandler eh = errors;
    return eh == null ? List.of() : eh.incidents(true).stream().map(Incident::id).toList();
  }

  private List<String> pids() throws Exception {
    ConfigurationAdmin ca = configs;
    Configuration[] all = ca == null ? null : ca.listConfigurations(null);
    TreeSet<String> pids = new TreeSet<>();
    if (all != null) {
      for (Configuration c : all) {
        pids.add(c.getPid());
      }
    }
    return new ArrayList<>(pids);
  }

  private List<ActionInfo> actionList() {
    ActionService as = actions;
    return as == null ? List.of() : as.actions();
  }

  /** @return the command of every action ({@code scope:name}) */
  private List<String> actionCommands() {
    return actionList().stream().map(ActionInfo::command).toList();
  }

  /** @return the action names of a plugin (its id, symbolic name or command scope) */
  private List<String> actionNames(String plugin) {
    return actionList().stream().filter(a -> ofPlugin(a, plugin)).map(ActionInfo::name).toList();
  }

  private boolean ofPlugin(ActionInfo a, String plugin) {
    if (plugin.equals(a.plugin()) || a.command().startsWith(plugin + ":")) {
      return true;
    }
    PluginManager pm = plugins;
    return pm != null && pm.find(plugin).map(p -> p.symbolicName().equals(a.plugin())).orElse(false);
  }

  /** @return the properties of the action's input schema, each as {@code key=} */
  private List<String> keys(String... of) {
    List<ActionInfo> matching = actionList().stream().filter(a -> of.length == 1 ? a.command().equals(of[0])
        : a.name().equals(of[1]) && ofPlugin(a, of[0])).toList();
    TreeSet<String> keys = new TreeSet<>();
    for (ActionInfo a : matching) {
      if (a.schema() == null || a.schema().isBlank()) {
        continue;
      }
      JsonValue properties = Json.read(new StringReader(a.schema())).get("properties");
      if (properties instanceof JsonObject o) {
        o.keySet().forEach(k -> keys.add(k + "="));
      }
    }
    return new ArrayList<>(keys);
  }
}
