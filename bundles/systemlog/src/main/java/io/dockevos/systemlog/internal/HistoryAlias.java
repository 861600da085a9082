package io.dockevos.systemlog.internal;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code history} typed without a scope. The Gogo shells define {@code gogo:history} (the line
 * editor's own, of one console), and the console's profile looks in scope {@code gogo} first; Gogo
 * picks the highest {@code service.ranking} among the commands of one name, so this one, ranked
 * above them, answers {@code history} in the console and through the client alike.
 */
@Component(configurationPolicy = ConfigurationPolicy.IGNORE, service = HistoryAlias.class, property = {
    "osgi.command.scope=gogo", "osgi.command.function=history", "service.ranking:Integer=100"})
public final class HistoryAlias {
  private final HistoryCommands commands;

  @Activate
  public HistoryAlias(@Reference HistoryCommands commands) {
    this.commands = commands;
  }

  @Descriptor("the commands of every shell session, kept across restarts (log:history)")
  public void history(
      @Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
          absentValue = "false") boolean help,
      @Descriptor("the last N commands") @Parameter(names = {"-n", "--lines"}, absentValue = "20") int lines,
      @Descriptor("only commands that contain TEXT (ignoring case)") @Parameter(names = {"-s", "--search"}, absentValue = "")
          String search,
      @Descriptor("only commands that failed") @Parameter(names = "--failed", presentValue = "true", absentValue = "false")
          boolean failed,
      @Descriptor("print JSON") @Parameter(names = "--json", presentValue = "true", absentValue = "false") boolean json) {
    if (help) {
      io.dockevos.common.internal.CommandHelp.print(this, "gogo:history");
      return;
    }
    commands.history(false, lines, search, failed, json);
  }
}
