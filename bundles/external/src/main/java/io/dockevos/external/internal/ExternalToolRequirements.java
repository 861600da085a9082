package io.dockevos.external.internal;

import io.dockevos.external.ExternalPlugin;
import io.dockevos.external.ExternalPlugins;
import io.dockevos.hardware.ToolRequirements;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The tools the external plugins require, for the hardware analyzer: {@code hw:check NAME} (and
 * {@code hw:check}) checks an external plugin's {@code requires} as it checks a bundle plugin's. A
 * tool named by a path is looked for at its start only, not here.
 */
@Component(service = ToolRequirements.class)
public final class ExternalToolRequirements implements ToolRequirements {
  private final ExternalPlugins plugins;

  @Activate
  public ExternalToolRequirements(@Reference ExternalPlugins plugins) {
    this.plugins = plugins;
  }

  @Override
  public Map<String, List<String>> requirements() {
    Map<String, List<String>> out = new LinkedHashMap<>();
    if (!(plugins instanceof ExternalPluginsImpl impl)) {
      return out;
    }
    for (ExternalPlugin p : plugins.plugins()) {
      impl.supervisorOf(p.name()).ifPresent(s -> out.put(p.name(), RequiredTools.of(s.descriptor()).stream()
          .filter(r -> !r.tool().contains("/")).map(RequiredTools.Requirement::filter).toList()));
    }
    return out;
  }
}
