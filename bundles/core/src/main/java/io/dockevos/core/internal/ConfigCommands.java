package io.dockevos.core.internal;

import io.dockevos.common.internal.Filters;
import io.dockevos.common.internal.Secrets;
import java.io.IOException;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;

/**
 * {@code config:list} and {@code config:get}: what Configuration Admin holds, as Karaf shows it,
 * with every secret masked: a Metatype PASSWORD attribute, a key named like a secret, the password
 * of a URL ({@link Secrets}).
 */
@Component(configurationPolicy = ConfigurationPolicy.IGNORE, service = ConfigCommands.class, property = {
    "osgi.command.scope=config", "osgi.command.function=list", "osgi.command.function=get"})
public final class ConfigCommands {
  private final ConfigurationAdmin admin;
  private final BundleContext context;

  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
  volatile MetaTypeService metatype;

  @Activate
  public ConfigCommands(BundleContext context, @Reference ConfigurationAdmin admin) {
    this.context = context;
    this.admin = admin;
  }

  @Descriptor("list configurations, optionally those matching an LDAP filter such as (service.pid=my.pid); secrets are masked")
  public String list(
      @Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
          absentValue = "false") boolean help,
      @Descriptor("LDAP filter") String... filter) throws IOException, InvalidSyntaxException {
    if (help) {
      io.dockevos.common.internal.CommandHelp.print(this, "config:list");
      return null;
    }
    String f = filter.length == 0 ? null : String.join(" ", filter);
    Configuration[] configs;
    try {
      configs = admin.listConfigurations(f);
    } catch (InvalidSyntaxException e) {
      throw new IllegalArgumentException("'" + f + "' is not an LDAP filter (" + e.getMessage()
          + "); for example: config:list '(service.pid=dockevos.*)'", e);
    }
    if (configs == null) {
      return "No configuration";
    }
    List<Configuration> sorted = Arrays.asList(configs);
    sorted.sort(Comparator.comparing(Configuration::getPid));
    Map<String, Set<String>> passwords = passwordAttributes();
    StringBuilder out = new StringBuilder();
    for (Configuration c : sorted) {
      out.append(describe(c, passwords)).append('\n');
    }
    return out.toString().stripTrailing();
  }

  @Descriptor("show one configuration by its PID; secrets are masked")
  public String get(
      @Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
          absentValue = "false") boolean help,
      @Descriptor("the PID") String pid) throws IOException, InvalidSyntaxException {
    if (help) {
      io.dockevos.common.internal.CommandHelp.print(this, "config:get");
      return null;
    }
    // The PID is a value, not a pattern: escaped, a '*' or a ')' in it matches only itself.
    Configuration[] configs = admin.listConfigurations("(service.pid=" + Filters.escape(pid) + ")");
    if (configs == null) {
      throw new IllegalArgumentException("no configuration with PID " + pid);
    }
    return describe(configs[0], passwordAttributes());
  }

  /** {@code config:get} without its arguments: its help with {@code --help}, else what it needs. */
  public void get(@Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
      absentValue = "false") boolean help) {
    io.dockevos.common.internal.CommandHelp.withoutArguments(this, "config:get", help);
  }

  /** @return the PASSWORD attributes of every PID and factory PID that a bundle's Metatype describes */
  private Map<String, Set<String>> passwordAttributes() {
    Map<String, Set<String>> result = new HashMap<>();
    MetaTypeService mts = metatype;
    if (mts == null) {
      return result;
    }
    for (Bundle b : context.getBundles()) {
      MetaTypeInformation info;
      try {
        info = mts.getMetaTypeInformation(b);
      } catch (IllegalArgumentException | IllegalStateException gone) {
        continue;
      }
      if (info == null) {
        continue;
      }
      for (String[] pids : List.of(info.getPids(), info.getFactoryPids())) {
        for (String pid : pids) {
          ObjectClassDefinition ocd = info.getObjectClassDefinition(pid, null);
          AttributeDefinition[] ads = ocd == null ? null : ocd.getAttributeDefinitions(ObjectClassDefinition.ALL);
          for (AttributeDefinition ad : ads == null ? new AttributeDefinition[0] : ads) {
            if (ad.getType() == AttributeDefinition.PASSWORD) {
              result.computeIfAbsent(pid, k -> new HashSet<>()).add(ad.getID());
            }
          }
        }
      }
    }
    return result;
  }

  private static String describe(Configuration c, Map<String, Set<String>> passwords) {
    StringBuilder out = new StringBuilder("PID: ").append(c.getPid()).append('\n');
    if (c.getFactoryPid() != null) {
      out.append("Factory PID: ").append(c.getFactoryPid()).append('\n');
    }
    Set<String> password = passwords.getOrDefault(c.getFactoryPid() != null ? c.getFactoryPid() : c.getPid(), Set.of());
    Dictionary<String, Object> props = c.getProperties();
    Map<String, Object> sorted = new TreeMap<>();
    if (props != null) {
      for (String key : Collections.list(props.keys())) {
        sorted.put(key, Secrets.value(key, props.get(key), password.contains(key)));
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
