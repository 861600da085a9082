package io.dockevos.launcher.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.Manifest;

/**
 * The dockevOS API jar ({@code io.dockevos:io.dockevos.api}) on the class path of a program that
 * embeds dockevOS: its packages are then shared from the framework's class path (exported by the
 * system bundle, the lowest bundle ID, so that every bundle is wired to them), and a service the
 * program gets is of the program's own {@code io.dockevos.plugin.PluginManager}, not of a copy of it.
 */
public final class HostApi {
  /** The API bundle's symbolic name. */
  public static final String BUNDLE = "io.dockevos.api";
  /** A class of the API jar: only a class path that has it is searched for the jar's manifest. */
  private static final String PROBE = "io/dockevos/api/Host.class";

  private HostApi() {}

  /**
   * @param extra the configured {@code org.osgi.framework.system.packages.extra}
   * @return it, with the API's packages when the API jar is on the class path, and without Logback's
   *     when Logback is not (a program that embeds dockevOS with its own SLF4J backend)
   */
  public static String extra(String extra, ClassLoader loader) {
    List<String> clauses = new ArrayList<>();
    boolean logback = isPresent(loader, "ch.qos.logback.classic.LoggerContext");
    for (String clause : clauses(extra == null ? "" : extra)) {
      if (logback || !clause.startsWith("ch.qos.logback.")) {
        clauses.add(clause);
      }
    }
    String api = exports(loader);
    if (api != null) {
      clauses.addAll(clauses(api));
    }
    return String.join(",", clauses);
  }

  private static boolean isPresent(ClassLoader loader, String name) {
    try {
      Class.forName(name, false, loader);
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** @return the clauses of a header, split at the commas outside quotes */
  static List<String> clauses(String header) {
    List<String> result = new ArrayList<>();
    StringBuilder clause = new StringBuilder();
    boolean quoted = false;
    for (char c : header.toCharArray()) {
      if (c == '"') {
        quoted = !quoted;
      }
      if (c == ',' && !quoted) {
        if (!clause.toString().isBlank()) {
          result.add(clause.toString().strip());
        }
        clause.setLength(0);
      } else {
        clause.append(c);
      }
    }
    if (!clause.toString().isBlank()) {
      result.add(clause.toString().strip());
    }
    return result;
  }

  /**
   * @return the {@code Export-Package} clauses of the API jar on {@code loader}'s class path, for
   *     {@code org.osgi.framework.system.packages.extra}; {@code null} when it is not there
   */
  public static String exports(ClassLoader loader) {
    if (loader.getResource(PROBE) == null) {
      return null; // the distribution's own start: no manifest of the class path is read
    }
    try {
      for (URL url : Collections.list(loader.getResources("META-INF/MANIFEST.MF"))) {
        try (InputStream in = url.openStream()) {
          Manifest mf = new Manifest(in);
          String bsn = mf.getMainAttributes().getValue("Bundle-SymbolicName");
          if (bsn != null && BUNDLE.equals(bsn.split(";")[0].trim())) {
            String exports = mf.getMainAttributes().getValue("Export-Package");
            return exports == null || exports.isBlank() ? null : exports;
          }
        } catch (IOException e) {
          // a manifest that cannot be read is no API jar
        }
      }
    } catch (IOException e) {
      return null;
    }
    return null;
  }
}
