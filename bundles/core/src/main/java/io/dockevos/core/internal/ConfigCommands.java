package io.dockevos.core.internal;

import java.io.IOException;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.felix.service.command.Descriptor;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;

/** {@code config:list} and {@code config:get}: what Configuration Admin holds, as Karaf shows it. */
@Component(configurationPolicy = ConfigurationPolicy.IGNORE, service = ConfigCommands.class, property = {
    "osgi.command.scope=config", "osgi.command.function=list", "osgi.command.function=get"})
public final class ConfigCommands {
  private final ConfigurationAdmin admin;

  @Activate
  public ConfigCommands(@Reference ConfigurationAdmin admin) {
    this.admin = admin;
  }

  @Descriptor("list configurations, optionally those matching an LDAP filter such as (service.pid=my.pid)")
  public String list(@Descriptor("LDAP filter") String... filter) throws IOException, InvalidSyntaxException {
    Configuration[] configs = admin.listConfigurations(filter.length == 0 ? null : String.join(" ", filter));
    if (configs == null) {
      return "No configuration";
    }
    List<Configuration> sorted = Arrays.asList(configs);
    sorted.sort(Comparator.comparing(Configuration::getPid));
    StringBuilder out = new StringBuilder();
    for (Configuration c : sorted) {
      out.append(describe(c)).append('\n');
    }
    return out.toString().stripTrailing();
  }

  @Descriptor("show one configuration by its PID")
  public String get(@Descriptor("the PID") String pid) throws IOException, InvalidSyntaxException {
    Configuration[] configs = admin.listConfigurations("(service.pid=" + pid + ")");
    if (configs == null) {
      throw new IllegalArgumentException("no configuration with PID " + pid);
    }
    return describe(configs[0]);
  }

  private static String describe(Configuration c) {
    StringBuilder out = new StringBuilder("PID: ").append(c.getPid()).append('\n');
    if (c.getFactoryPid() != null) {
      out.append("Factory PID: ").append(c.getFactoryPid()).append('\n');
    }
    Dictionary<String, Object> props = c.getProperties();
    Map<String, Object> sorted = new TreeMap<>();
    if (props != null) {
      for (String key : Collections.list(props.keys())) {
        sorted.put(key, props.get(key));
      }
    }
    sorted.forEach((k, v) -> out.append("   ").append(k).append(" = ").append(format(v)).append('\n'));
    return out.toString();
  }

  private static String format(Object v) {
    if (v != null && v.getClass().isArray()) {
      return v instanceof Object[] a ? Arrays.toString(a) : String.valueOf(v);
    }
    return String.valueOf(v);
  }
}
