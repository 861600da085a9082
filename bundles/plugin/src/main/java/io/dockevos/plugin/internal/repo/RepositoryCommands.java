package io.dockevos.plugin.internal.repo;

import io.dockevos.common.internal.Json;
import io.dockevos.common.internal.Tables;
import io.dockevos.install.Repositories;
import io.dockevos.install.Repositories.RepositoryInfo;
import io.dockevos.plugin.PluginException;
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
 * The {@code repo:*} Gogo commands: the repositories that plans draw from, and the R5 indexes a user
 * registers. A failure is thrown as an {@link IllegalStateException} with the message as it is.
 */
@Component(configurationPolicy = ConfigurationPolicy.IGNORE, service = RepositoryCommands.class, property = {
    "osgi.command.scope=repo", "osgi.command.function=add", "osgi.command.function=list",
    "osgi.command.function=remove"})
public final class RepositoryCommands {
  private final Repositories repositories;

  @Activate
  public RepositoryCommands(@Reference Repositories repositories) {
    this.repositories = repositories;
  }

  @Descriptor("list the repositories: system/, the local Maven repository, and the registered R5 indexes")
  public void list(
      @Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
          absentValue = "false") boolean help,
      @Descriptor("print JSON") @Parameter(names = "--json", presentValue = "true", absentValue = "false")
          boolean json) {
    if (help) {
      io.dockevos.common.internal.CommandHelp.print(this, "repo:list");
      return;
    }
    PrintStream out = System.out;
    List<RepositoryInfo> list = repositories.list();
    if (json) {
      out.println(Json.pretty(list.stream().map(RepositoryCommands::toMap).toList()));
      return;
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"Name", "Bundles", "Location"});
    for (RepositoryInfo r : list) {
      rows.add(new String[] {r.name(), String.valueOf(r.resources()), r.location()});
    }
    Tables.print(out, rows);
  }

  @Descriptor("register an R5 index (XML, plain or gzipped); it is read at once and kept across restarts; its"
      + " bundles are trusted: installed without --sha256, checked against the SHA-256 it gives")
  public void add(
      @Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
          absentValue = "false") boolean help,
      @Descriptor("accept a plain http: index, and plain http: bundles from it (anyone on the way can change them)")
          @Parameter(names = "--insecure", presentValue = "true", absentValue = "false") boolean insecure,
      @Descriptor("the index: a file path, or a file:, https: (or, with --insecure, http:) URL") String location) {
    if (help) {
      io.dockevos.common.internal.CommandHelp.print(this, "repo:add");
      return;
    }
    try {
      RepositoryInfo r = repositories instanceof RepositoryService own ? own.add(location, insecure)
          : repositories.add(location);
      System.out.println("Added the index " + r.name() + " (" + r.resources() + " bundles) from " + r.location());
    } catch (PluginException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /** {@code repo:add} without its arguments: its help with {@code --help}, else what it needs. */
  public void add(@Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
      absentValue = "false") boolean help) {
    io.dockevos.common.internal.CommandHelp.withoutArguments(this, "repo:add", help);
  }

  @Descriptor("forget a registered index")
  public void remove(
      @Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
          absentValue = "false") boolean help,
      @Descriptor("its name or location, as repo:list shows it") String ref) {
    if (help) {
      io.dockevos.common.internal.CommandHelp.print(this, "repo:remove");
      return;
    }
    try {
      RepositoryInfo r = repositories.remove(ref);
      System.out.println("Removed the index " + r.name() + " (" + r.location() + ")");
    } catch (PluginException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /** {@code repo:remove} without its arguments: its help with {@code --help}, else what it needs. */
  public void remove(@Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
      absentValue = "false") boolean help) {
    io.dockevos.common.internal.CommandHelp.withoutArguments(this, "repo:remove", help);
  }

  static Map<String, Object> toMap(RepositoryInfo r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", r.name());
    m.put("location", r.location());
    m.put("bundles", r.resources());
    return m;
  }
}
