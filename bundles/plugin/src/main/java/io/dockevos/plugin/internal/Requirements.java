package io.dockevos.plugin.internal;

import io.dockevos.api.Host;
import io.dockevos.plugin.MissingRequirement;
import io.dockevos.plugin.Provider;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.osgi.framework.Bundle;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleRequirement;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.resource.Namespace;

/** Explains, from the requirements of a bundle and the framework's providers, why it does not resolve. */
public final class Requirements {
  private static final Pattern ATTR = Pattern.compile("\\((!?)\\(?([\\w.-]+)(>=|<=|=|~=)([^()]*)\\)\\)?");

  private Requirements() {}

  /**
   * @param providers the providers that could be installed for a namespace and a filter; none for a
   *     diagnosis that does not look at the repositories
   * @return each mandatory requirement that no installed bundle can satisfy, with the providers
   *     that could be installed
   */
  static List<MissingRequirement> missing(Bundle bundle, FrameworkWiring wiring,
      BiFunction<String, String, List<Provider>> providers) {
    List<MissingRequirement> result = new ArrayList<>();
    String who = bundle.getSymbolicName() + " " + bundle.getVersion();
    for (BundleRequirement req : unsatisfied(bundle, wiring)) {
      String description = describe(req);
      if (Host.NAMESPACE.equals(req.getNamespace())) {
        description += " (this host is " + hostVersion(wiring) + ")";
      }
      String filter = req.getDirectives().get(Namespace.REQUIREMENT_FILTER_DIRECTIVE);
      result.add(new MissingRequirement(req.getNamespace(), filter, description, who, List.of(who),
          Host.NAMESPACE.equals(req.getNamespace()) ? List.of() : providers.apply(req.getNamespace(), filter)));
    }
    return result;
  }

  /**
   * @return each mandatory requirement of the bundle (not optional, not dynamic, effective at
   *     resolve time) that no installed bundle can satisfy
   */
  static List<BundleRequirement> unsatisfied(Bundle bundle, FrameworkWiring wiring) {
    List<BundleRequirement> result = new ArrayList<>();
    BundleRevision revision = bundle.adapt(BundleRevision.class);
    if (revision == null) {
      return result;
    }
    for (BundleRequirement req : revision.getDeclaredRequirements(null)) {
      String resolution = req.getDirectives().get(Namespace.REQUIREMENT_RESOLUTION_DIRECTIVE);
      String effective = req.getDirectives().getOrDefault(Namespace.REQUIREMENT_EFFECTIVE_DIRECTIVE,
          Namespace.EFFECTIVE_RESOLVE);
      if (Namespace.RESOLUTION_OPTIONAL.equals(resolution) || PackageNamespace.RESOLUTION_DYNAMIC.equals(resolution)
          || !Namespace.EFFECTIVE_RESOLVE.equals(effective)) {
        continue;
      }
      if (wiring.findProviders(req).isEmpty()) {
        result.add(req);
      }
    }
    return result;
  }

  static boolean isFragment(Bundle b) {
    BundleRevision rev = b.adapt(BundleRevision.class);
    return rev != null && (rev.getTypes() & BundleRevision.TYPE_FRAGMENT) != 0;
  }

  private static Object hostVersion(FrameworkWiring wiring) {
    BundleRevision system = wiring.getBundle().adapt(BundleRevision.class);
    return system.getCapabilities(Host.NAMESPACE).stream()
        .map(c -> c.getAttributes().get(Host.VERSION_ATTRIBUTE)).filter(java.util.Objects::nonNull)
        .findFirst().orElse("unknown");
  }

  /** "package io.x [1.0.0,2.0.0)" rather than an LDAP filter. */
  public static String describe(org.osgi.resource.Requirement req) {
    String filter = req.getDirectives().getOrDefault(Namespace.REQUIREMENT_FILTER_DIRECTIVE, "");
    String ns = req.getNamespace();
    String kind = switch (ns) {
      case PackageNamespace.PACKAGE_NAMESPACE -> "package";
      case "osgi.wiring.bundle" -> "bundle";
      case "osgi.wiring.host" -> "fragment host";
      case "osgi.ee" -> "Java execution environment";
      case Host.NAMESPACE -> "dockevOS host";
      case Host.FEATURE_NAMESPACE -> "feature";
      default -> "capability " + ns;
    };
    String name = null;
    String low = null;
    String high = null;
    List<String> other = new ArrayList<>();
    Matcher m = ATTR.matcher(filter);
    while (m.find()) {
      boolean not = !m.group(1).isEmpty();
      String attr = m.group(2);
      String op = m.group(3);
      String value = m.group(4);
      if (!not && attr.equals(ns) && op.equals("=")) {
        name = value;
      } else if (attr.equals("version") || attr.equals("bundle-version") || attr.equals(Host.VERSION_ATTRIBUTE)) {
        if (!not && op.equals(">=")) {
          low = "[" + value;
        } else if (!not && op.equals("=")) {
          low = "=" + value;
        } else if (not && op.equals(">=")) {
          high = value + ")";
        } else if (not && op.equals("<=")) {
          low = "(" + value;
        } else if (!not && op.equals("<=")) {
          high = value + "]";
        }
      } else {
        other.add((not ? "not " : "") + attr + op + value);
      }
    }
    StringBuilder s = new StringBuilder(kind);
    if (name != null) {
      s.append(' ').append(name);
    }
    if (low != null || high != null) {
      if (low != null && low.startsWith("=")) {
        s.append(" version ").append(low.substring(1));
      } else {
        s.append(' ').append(low == null ? "[0" : low).append(',').append(high == null ? "\u221e)" : high);
      }
    }
    if (!other.isEmpty()) {
      s.append(" with ").append(String.join(", ", other));
    }
    if (name == null && other.isEmpty() && low == null && high == null && !filter.isEmpty()) {
      s.append(' ').append(filter);
    }
    return s.toString();
  }
}
