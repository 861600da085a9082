package io.dockevos.feature.internal;

import io.dockevos.common.internal.Json;

import static io.dockevos.feature.internal.FeatureCommands.call;

import io.dockevos.feature.FeatureManager;
import io.dockevos.feature.Repository;
import java.io.PrintStream;
import java.util.List;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code feature:repo-add}, {@code feature:repo-list} and {@code feature:repo-remove}. Gogo calls the
 * method named like the command, and a Java method cannot have a hyphen in its name; it also calls
 * a method named {@code _main} for any command name, with that name as the first argument, so each
 * of these is a component of its own with one {@code _main}.
 */
public final class RepositoryCommands {
  private RepositoryCommands() {}

  /** {@code feature:repo-add FILE|URL} */
  @Component(configurationPolicy = ConfigurationPolicy.IGNORE, service = Add.class, property = {"osgi.command.scope=feature", "osgi.command.function=repo-add"})
  public static final class Add {
    private final FeatureManager features;

    @Activate
    public Add(@Reference FeatureManager features) {
      this.features = features;
    }

    @Descriptor("register a feature file or the URL of one, whose feature then is available (kept across restarts)")
    public void _main(
        @Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
            absentValue = "false") boolean help,
        @Descriptor("accept a plain http: URL: anyone on the way can change what comes") @Parameter(names = "--insecure",
            presentValue = "true", absentValue = "false") boolean insecure,
        @Descriptor("the command's name") String command,
        @Descriptor("feature file path (relative to the dockevOS home), or a file:, https: (or, with --insecure, http:)"
            + " URL") String location) {
      if (help) {
        io.dockevos.common.internal.CommandHelp.print(this, "feature:repo-add");
        return;
      }
      Repository r = call(() -> features instanceof FeatureManagerImpl own ? own.addRepository(location, insecure)
          : features.addRepository(location));
      System.out.println("Added repository " + r.uri() + ": " + String.join(", ", r.features())
          + " (feature:install " + r.features().get(0).split(":")[1] + " installs it)");
    }

    /** {@code feature:repo-add} without its arguments: its help with {@code --help}, else what it needs. */
    public void _main(@Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
        absentValue = "false") boolean help, String command) {
      io.dockevos.common.internal.CommandHelp.withoutArguments(this, "feature:repo-add", help);
    }
  }

  /** {@code feature:repo-list [--json]} */
  @Component(configurationPolicy = ConfigurationPolicy.IGNORE, service = ListRepositories.class, property = {"osgi.command.scope=feature",
      "osgi.command.function=repo-list"})
  public static final class ListRepositories {
    private final FeatureManager features;

    @Activate
    public ListRepositories(@Reference FeatureManager features) {
      this.features = features;
    }

    @Descriptor("list the registered feature repositories and the feature each offers")
    public void _main(
        @Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
            absentValue = "false") boolean help,
        @Descriptor("print JSON") @Parameter(names = "--json", presentValue = "true", absentValue = "false")
            boolean json,
        @Descriptor("the command's name") String command) {
      if (help) {
        io.dockevos.common.internal.CommandHelp.print(this, "feature:repo-list");
        return;
      }
      List<Repository> list = features.repositories();
      PrintStream out = System.out;
      if (json) {
        out.println(Json.pretty(list.stream().map(FeatureCommands::toMap).toList()));
      } else if (list.isEmpty()) {
        out.println("No repositories. feature:repo-add FILE|URL registers one; system/features/ is always read.");
      } else {
        for (Repository r : list) {
          out.println(r.uri() + ": " + (r.problem() != null ? "cannot be read: " + r.problem()
              : String.join(", ", r.features())));
        }
      }
    }
  }

  /** {@code feature:repo-remove FILE|URL} */
  @Component(configurationPolicy = ConfigurationPolicy.IGNORE, service = Remove.class, property = {"osgi.command.scope=feature",
      "osgi.command.function=repo-remove"})
  public static final class Remove {
    private final FeatureManager features;

    @Activate
    public Remove(@Reference FeatureManager features) {
      this.features = features;
    }

    @Descriptor("forget a feature repository; features installed from it stay installed")
    public void _main(
        @Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
            absentValue = "false") boolean help,
        @Descriptor("the command's name") String command,
        @Descriptor("the repository, as feature:repo-list shows it, or its path") String location) {
      if (help) {
        io.dockevos.common.internal.CommandHelp.print(this, "feature:repo-remove");
        return;
      }
      Repository r = call(() -> features.removeRepository(location));
      System.out.println("Removed repository " + r.uri());
    }

    /** {@code feature:repo-remove} without its arguments: its help with {@code --help}, else what it needs. */
    public void _main(@Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
        absentValue = "false") boolean help, String command) {
      io.dockevos.common.internal.CommandHelp.withoutArguments(this, "feature:repo-remove", help);
    }
  }
}
