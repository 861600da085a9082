package io.dockevos.assist.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRevision;

/** Requirements as the error handler and the framework write them, read back and described in words. */
final class Requirements {
  /** A namespace and its filter. */
  record Req(String namespace, String filter) {}

  private static final Pattern START = Pattern.compile("([A-Za-z][\\w.-]*);\\s*(?:filter:=\"?)?(\\()");

  private Requirements() {}

  /**
   * @return the requirements in a text: {@code osgi.wiring.package; (&(osgi.wiring.package=io.x)(version>=1.0.0))},
   *     as the error handler's {@code requirement} and Felix's "missing requirement" messages have them
   */
  static List<Req> parse(String text) {
    List<Req> result = new ArrayList<>();
    if (text == null) {
      return result;
    }
    Matcher m = START.matcher(text);
    int from = 0;
    while (m.find(from)) {
      int open = m.start(2);
      int depth = 0;
      int end = -1;
      for (int i = open; i < text.length(); i++) {
        char c = text.charAt(i);
        if (c == '(') {
          depth++;
        } else if (c == ')' && --depth == 0) {
          end = i + 1;
          break;
        }
      }
      if (end < 0) {
        break;
      }
      Req r = new Req(m.group(1), text.substring(open, end));
      if (!result.contains(r)) {
        result.add(r);
      }
      from = end;
    }
    return result;
  }

  /** "package io.x [1.0.0,2.0.0)" rather than an LDAP filter. */
  static String describe(Req r) {
    if ("osgi.wiring.package".equals(r.namespace())) {
      String name = group(r.filter(), "\\(osgi\\.wiring\\.package=([^)]+)\\)");
      String low = group(r.filter(), "\\(version>=([^)]+)\\)");
      String high = group(r.filter(), "\\(!\\(version>=([^)]+)\\)\\)");
      String s = "package " + (name == null ? r.filter() : name);
      if (low != null || high != null) {
        s += " [" + (low == null ? "0" : low) + "," + (high == null ? "\u221e" : high) + ")";
      }
      return s;
    }
    if ("osgi.service".equals(r.namespace())) {
      String name = group(r.filter(), "\\(objectClass=([^)]+)\\)");
      return "service " + (name == null ? r.filter() : name);
    }
    if ("osgi.wiring.bundle".equals(r.namespace())) {
      String name = group(r.filter(), "\\(osgi\\.wiring\\.bundle=([^)]+)\\)");
      return "bundle " + (name == null ? r.filter() : name);
    }
    return "capability " + r.namespace() + " " + r.filter();
  }

  /** @return the package a requirement names, or {@code null} */
  static String packageName(Req r) {
    return "osgi.wiring.package".equals(r.namespace()) ? group(r.filter(), "\\(osgi\\.wiring\\.package=([^)]+)\\)") : null;
  }

  private static String group(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    return m.find() ? m.group(1) : null;
  }

  /** @return the installed bundles that declare a capability matching the requirement */
  static List<Bundle> installedProviders(BundleContext context, Req r) {
    List<Bundle> result = new ArrayList<>();
    Filter filter;
    try {
      filter = FrameworkUtil.createFilter(r.filter());
    } catch (InvalidSyntaxException e) {
      return result;
    }
    for (Bundle b : context.getBundles()) {
      BundleRevision rev = b.adapt(BundleRevision.class);
      if (rev == null) {
        continue;
      }
      for (BundleCapability c : rev.getDeclaredCapabilities(r.namespace())) {
        if (filter.matches(c.getAttributes())) {
          result.add(b);
          break;
        }
      }
    }
    return result;
  }
}
