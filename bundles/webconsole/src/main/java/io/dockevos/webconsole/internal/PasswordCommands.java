package io.dockevos.webconsole.internal;

import io.dockevos.common.internal.CommandHelp;
import java.io.PrintStream;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code webconsole:password}: a new password for the Web Console ({@code bin/dockevos webconsole-password}). */
@Component(service = PasswordCommands.class, property = {"osgi.command.scope=webconsole",
    "osgi.command.function=password"})
public final class PasswordCommands {
  private final PasswordStore passwords;
  private final Sessions sessions;

  @Activate
  public PasswordCommands(@Reference PasswordStore passwords, @Reference Sessions sessions) {
    this.passwords = passwords;
    this.sessions = sessions;
  }

  @Descriptor("make a new password for the Web Console's user admin and print it, this once (only its hash is kept);"
      + " everyone logged in is logged out")
  public void password(
      @Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
          absentValue = "false") boolean help) {
    if (help) {
      CommandHelp.print(this, "webconsole:password");
      return;
    }
    String password = passwords.reset();
    sessions.closeAll();
    PrintStream out = System.out;
    out.println("The Web Console's user " + PasswordStore.USER + " has a new password, shown this once (only its hash"
        + " is kept, in " + passwords.file() + "):");
    out.println(password);
    out.println("The old one no longer works; everyone logged in was logged out.");
  }
}
