package io.dockevos.plugin.internal.repo;

import aQute.bnd.header.Attrs;
import aQute.bnd.header.OSGiHeader;
import aQute.bnd.header.Parameters;
import io.dockevos.common.internal.Json;
import io.dockevos.common.internal.Tables;
import io.dockevos.install.Repositories;
import io.dockevos.install.Repositories.Offer;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code plugin:search}: what the repositories offer, by text or by requirement. A component of its
 * own beside {@code PluginCommands}, in the same {@code plugin} scope, because it needs only the
 * {@link Repositories}.
 */
@Component(configurationPolicy = ConfigurationPolicy.IGNORE, service = SearchCommand.class, property = {
    "osgi.command.scope=plugin", "osgi.command.function=search"})
public final class SearchCommand {
  /** How many capabilities the table shows for each bundle; {@code --json} has them all. */
  static final int SHOWN = 2;
  private final Repositories repositories;

  @Activate
  public SearchCommand(@Reference Repositories repositories) {
    this.repositories = repositories;
  }

  @Descriptor("search the repositories (system/, the local Maven repository, registered indexes): plugin:search TEXT"
      + " | plugin:search --requirement 'osgi.wiring.package;filter:=\"(osgi.wiring.package=x)\"'")
  public void search(
      @Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
          absentValue = "false") boolean help,
      @Descriptor("a requirement: NAMESPACE;filter:=\"(...)\"") @Parameter(names = {"-r", "--requirement"},
          absentValue = "") String requirement,
      @Descriptor("print JSON") @Parameter(names = "--json", presentValue = "true", absentValue = "false")
          boolean json,
      @Descriptor("text in the symbolic name, file name or an exported package") String... text) {
    if (help) {
      io.dockevos.common.internal.CommandHelp.print(this, "plugin:search");
      return;
    }
    List<Offer> offers;
    try {
      if (!requirement.isBlank()) {
        String[] r = requirement(requirement);
        offers = repositories.search(r[0], r[1]);
      } else {
        offers = repositories.search(String.join(" ", text));
      }
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
    print(System.out, offers, json);
  }

  /** @return the namespace and filter of {@code NAMESPACE;filter:="(...)"}; the filter is empty when it has none */
  static String[] requirement(String text) {
    Parameters p = OSGiHeader.parseHeader(text.trim());
    if (p.size() != 1) {
      throw new IllegalArgumentException("Not one requirement: " + text
          + " (write NAMESPACE;filter:=\"(...)\", for example osgi.wiring.package;filter:=\"(osgi.wiring.package=x)\")");
    }
    String namespace = aQute.bnd.osgi.Processor.removeDuplicateMarker(p.keySet().iterator().next());
    Attrs attrs = p.values().iterator().next();
    String filter = attrs.get("filter:");
    return new String[] {namespace, filter == null ? "" : filter};
  }

  static void print(PrintStream out, List<Offer> offers, boolean json) {
    if (json) {
      out.println(Json.pretty(offers.stream().map(SearchCommand::toMap).toList()));
      return;
    }
    if (offers.isEmpty()) {
      out.println("No repository offers a bundle that matches.");
      return;
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"Name", "Version", "Provides", "Repository", "Source"});
    for (Offer o : offers) {
      rows.add(new String[] {o.symbolicName(), o.version(), abbreviate(o.provides()), o.repository(), o.source()});
    }
    Tables.print(out, rows);
  }

  /** The first capabilities, then how many more: {@code package a 1.0.0, package b 1.0.0 (+12)}. */
  static String abbreviate(List<String> provides) {
    String s = String.join(", ", provides.subList(0, Math.min(SHOWN, provides.size())));
    return provides.size() > SHOWN ? s + " (+" + (provides.size() - SHOWN) + ")" : s;
  }

  static Map<String, Object> toMap(Offer o) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("symbolicName", o.symbolicName());
    m.put("version", o.version());
    m.put("provides", o.provides());
    m.put("repository", o.repository());
    m.put("source", o.source());
    return m;
  }
}
