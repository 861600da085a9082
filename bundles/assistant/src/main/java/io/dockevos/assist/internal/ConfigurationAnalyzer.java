package io.dockevos.assist.internal;

import io.dockevos.assist.Diagnosis;
import io.dockevos.assist.ErrorAnalyzer;
import io.dockevos.assist.Fix;
import io.dockevos.assist.Risk;
import io.dockevos.common.internal.Secrets;
import io.dockevos.error.Incident;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;

/**
 * A configuration that breaks its Metatype: names each property and the constraint it breaks (its
 * type, cardinality, options, or what {@link AttributeDefinition#validate} says), and offers to
 * reset the property to its default.
 *
 * <p>One of the {@link BuiltInAnalyzers}, which gives it its services.
 */
public final class ConfigurationAnalyzer implements ErrorAnalyzer {
  static final String NAME = "configuration";

  /** A property that breaks its definition. */
  record Problem(AttributeDefinition ad, Object value, String constraint) {}

  private final BundleContext context;
  private final ConfigurationAdmin configAdmin;
  private final MetaTypeService metatype;

  public ConfigurationAnalyzer(BundleContext context, ConfigurationAdmin configAdmin,
      MetaTypeService metatype) {
    this.context = context;
    this.configAdmin = configAdmin;
    this.metatype = metatype;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<Diagnosis> analyze(Incident incident) {
    String pid = Keys.get(incident, Keys.CONFIG_PID);
    if (pid == null) {
      return List.of();
    }
    Configuration config = configuration(pid);
    if (config == null || config.getProperties() == null) {
      return List.of();
    }
    String factory = config.getFactoryPid();
    ObjectClassDefinition ocd = definition(factory != null ? factory : pid);
    if (ocd == null) {
      return List.of();
    }
    List<Diagnosis> result = new ArrayList<>();
    for (Problem p : problems(ocd, config.getProperties())) {
      String key = p.ad().getID();
      String file = String.valueOf(config.getProperties().get("felix.fileinstall.filename"));
      result.add(new Diagnosis(NAME, "The configuration " + pid + " breaks its Metatype (" + ocd.getName() + "): property "
          + key + (p.value() == null ? "" : " = " + show(Secrets.value(key, p.value(),
              p.ad().getType() == AttributeDefinition.PASSWORD))) + " " + p.constraint(), 0.9,
          List.of(reset(pid, p.ad(), "null".equals(file) ? null : file))));
    }
    return result;
  }

  private Configuration configuration(String pid) {
    try {
      Configuration[] found = configAdmin.listConfigurations("(service.pid=" + pid + ")");
      return found == null || found.length == 0 ? null : found[0];
    } catch (Exception e) {
      return null;
    }
  }

  /** The definition of a PID or factory PID, from the Metatype of any bundle. */
  private ObjectClassDefinition definition(String pid) {
    for (Bundle b : context.getBundles()) {
      MetaTypeInformation info = metatype.getMetaTypeInformation(b);
      if (info == null) {
        continue;
      }
      if (Arrays.asList(info.getPids()).contains(pid) || Arrays.asList(info.getFactoryPids()).contains(pid)) {
        try {
          return info.getObjectClassDefinition(pid, null);
        } catch (IllegalArgumentException e) {
          return null;
        }
      }
    }
    return null;
  }

  /** @return each property of {@code props} that breaks its definition, and each required one that is missing */
  static List<Problem> problems(ObjectClassDefinition ocd, Dictionary<String, ?> props) {
    List<Problem> result = new ArrayList<>();
    List<AttributeDefinition> required = Arrays.asList(orEmpty(ocd.getAttributeDefinitions(ObjectClassDefinition.REQUIRED)));
    for (AttributeDefinition ad : orEmpty(ocd.getAttributeDefinitions(ObjectClassDefinition.ALL))) {
      Object value = props.get(ad.getID());
      if (value == null) {
        if (required.stream().anyMatch(r -> r.getID().equals(ad.getID())) && ad.getDefaultValue() == null) {
          result.add(new Problem(ad, null, "is missing: it is required (" + type(ad) + ")"));
        }
        continue;
      }
      String broken = check(ad, value);
      if (broken != null) {
        result.add(new Problem(ad, value, broken));
      }
    }
    return result;
  }

  private static AttributeDefinition[] orEmpty(AttributeDefinition[] ads) {
    return ads == null ? new AttributeDefinition[0] : ads;
  }

  /** @return the constraint the value breaks, in words, or {@code null} when it is valid */
  static String check(AttributeDefinition ad, Object value) {
    List<Object> values = values(value);
    int cardinality = ad.getCardinality();
    boolean many = value.getClass().isArray() || value instanceof Collection;
    if (cardinality == 0 && many && values.size() != 1) {
      return "has " + values.size() + " values, but takes one";
    }
    if (cardinality != 0 && values.size() > Math.abs(cardinality)) {
      return "has " + values.size() + " values, but takes at most " + Math.abs(cardinality);
    }
    String[] options = ad.getOptionValues();
    for (Object v : values) {
      String s = String.valueOf(v);
      if (!parses(ad.getType(), s)) {
        return "is not a valid " + type(ad);
      }
      if (options != null && options.length > 0 && !Arrays.asList(options).contains(s)) {
        return "is not one of its options: it must be one of " + String.join(", ", options);
      }
      String validated = ad.validate(s);
      if (validated != null && !validated.isEmpty()) {
        return "is not valid: " + validated;
      }
    }
    return null;
  }

  private static boolean parses(int type, String s) {
    try {
      switch (type) {
        case AttributeDefinition.INTEGER -> Integer.parseInt(s.trim());
        case AttributeDefinition.LONG -> Long.parseLong(s.trim());
        case AttributeDefinition.SHORT -> Short.parseShort(s.trim());
        case AttributeDefinition.BYTE -> Byte.parseByte(s.trim());
        case AttributeDefinition.DOUBLE -> Double.parseDouble(s.trim());
        case AttributeDefinition.FLOAT -> Float.parseFloat(s.trim());
        case AttributeDefinition.BOOLEAN -> {
          if (!s.trim().equalsIgnoreCase("true") && !s.trim().equalsIgnoreCase("false")) {
            return false;
          }
        }
        case AttributeDefinition.CHARACTER -> {
          if (s.length() != 1) {
            return false;
          }
        }
        default -> { }
      }
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  static String type(AttributeDefinition ad) {
    return switch (ad.getType()) {
      case AttributeDefinition.INTEGER -> "Integer";
      case AttributeDefinition.LONG -> "Long";
      case AttributeDefinition.SHORT -> "Short";
      case AttributeDefinition.BYTE -> "Byte";
      case AttributeDefinition.DOUBLE -> "Double";
      case AttributeDefinition.FLOAT -> "Float";
      case AttributeDefinition.BOOLEAN -> "Boolean";
      case AttributeDefinition.CHARACTER -> "Character";
      case AttributeDefinition.PASSWORD -> "password";
      default -> "String";
    };
  }

  private static List<Object> values(Object value) {
    List<Object> list = new ArrayList<>();
    if (value.getClass().isArray()) {
      for (int i = 0; i < Array.getLength(value); i++) {
        list.add(Array.get(value, i));
      }
    } else if (value instanceof Collection<?> c) {
      list.addAll(c);
    } else {
      list.add(value);
    }
    return list;
  }

  private static String show(Object value) {
    List<Object> vs = values(value);
    String s = vs.size() == 1 && !value.getClass().isArray() && !(value instanceof Collection) ? "'" + vs.get(0) + "'"
        : vs.stream().map(v -> "'" + v + "'").toList().toString();
    return s;
  }

  /** The default of a definition, typed, or {@code null} when it has none. */
  static Object typedDefault(AttributeDefinition ad) {
    String[] d = ad.getDefaultValue();
    if (d == null || d.length == 0) {
      return null;
    }
    List<Object> typed = new ArrayList<>();
    for (String s : d) {
      typed.add(switch (ad.getType()) {
        case AttributeDefinition.INTEGER -> Integer.valueOf(s.trim());
        case AttributeDefinition.LONG -> Long.valueOf(s.trim());
        case AttributeDefinition.SHORT -> Short.valueOf(s.trim());
        case AttributeDefinition.BYTE -> Byte.valueOf(s.trim());
        case AttributeDefinition.DOUBLE -> Double.valueOf(s.trim());
        case AttributeDefinition.FLOAT -> Float.valueOf(s.trim());
        case AttributeDefinition.BOOLEAN -> Boolean.valueOf(s.trim());
        case AttributeDefinition.CHARACTER -> s.charAt(0);
        default -> s;
      });
    }
    if (ad.getCardinality() == 0) {
      return typed.get(0);
    }
    return ad.getCardinality() < 0 ? typed : typed.toArray((Object[]) Array.newInstance(typed.get(0).getClass(), 0));
  }

  private Fix reset(String pid, AttributeDefinition ad, String file) {
    Object def = typedDefault(ad);
    String key = ad.getID();
    Object[] old = new Object[1];
    boolean[] had = new boolean[1];
    String to = def == null ? "remove it (it has no default)" : "set it to its default " + show(def);
    return new BasicFix("reset " + pid + " " + key + " to its default" + (def == null ? "" : " " + show(def)),
        Risk.MODERATE, false, "configuration " + pid + ": " + key + ": " + to
            + (file != null ? "\nthe file " + file + " keeps the old value: edit it too, or it comes back when the file"
                + " changes" : ""),
        () -> {
          Configuration c = configuration(pid);
          if (c == null || c.getProperties() == null) {
            throw new IllegalStateException("the configuration " + pid + " is gone");
          }
          Dictionary<String, Object> props = copy(c.getProperties());
          had[0] = props.get(key) != null;
          old[0] = props.get(key);
          if (def == null) {
            props.remove(key);
          } else {
            props.put(key, def);
          }
          c.update(props);
          return "configuration " + pid + ": " + key + (def == null ? " removed" : " = " + show(def));
        }, () -> {
          Configuration c = configuration(pid);
          if (c != null && c.getProperties() != null && had[0]) {
            Dictionary<String, Object> props = copy(c.getProperties());
            props.put(key, old[0]);
            c.update(props);
          }
        }, () -> {
          Configuration c = configuration(pid);
          Object now = c == null || c.getProperties() == null ? null : c.getProperties().get(key);
          String broken = now == null ? null : check(ad, now);
          return broken == null ? Optional.empty() : Optional.of(key + " " + broken);
        });
  }

  private static Dictionary<String, Object> copy(Dictionary<String, Object> in) {
    Dictionary<String, Object> out = new Hashtable<>();
    for (Enumeration<String> keys = in.keys(); keys.hasMoreElements();) {
      String k = keys.nextElement();
      out.put(k, in.get(k));
    }
    return out;
  }
}
