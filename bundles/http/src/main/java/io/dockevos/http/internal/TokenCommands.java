package io.dockevos.http.internal;

import io.dockevos.common.internal.CommandHelp;
import io.dockevos.common.internal.Json;
import io.dockevos.common.internal.Tables;
import io.dockevos.common.internal.TimeFormat;
import io.dockevos.http.Token;
import io.dockevos.http.TokenScope;
import io.dockevos.http.Tokens;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code token:create}, {@code token:list}, {@code token:revoke}: the bearer tokens of the HTTP surface. */
@Component(service = TokenCommands.class, property = {"osgi.command.scope=token", "osgi.command.function=create",
    "osgi.command.function=list", "osgi.command.function=revoke"})
public final class TokenCommands {
  private final Tokens tokens;
  private final Endpoints endpoints;

  @Activate
  public TokenCommands(@Reference Tokens tokens, @Reference Endpoints endpoints) {
    this.tokens = tokens;
    this.endpoints = endpoints;
  }

  @Descriptor("make a bearer token for the HTTP API and print its secret, this once (only its hash is kept)")
  public void create(
      @Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
          absentValue = "false") boolean help,
      @Descriptor("the token's name, which the command history shows as the user of what it does")
      @Parameter(names = "--name", absentValue = "") String name,
      @Descriptor("read (GET only) or admin (also changes)") @Parameter(names = "--scope", absentValue = "read")
          String scope) {
    if (help) {
      CommandHelp.print(this, "token:create");
      return;
    }
    if (name.isEmpty()) {
      throw new IllegalArgumentException("token:create needs --name NAME: token:create --help shows what it takes");
    }
    Tokens.Created c = tokens.create(name, TokenScope.of(scope));
    PrintStream out = System.out;
    out.println("Token " + c.token().name() + " (" + c.token().scope().word() + ") created. Its secret, shown this"
        + " once (only its hash is kept):");
    out.println(c.secret());
    out.println("Send it as the header: Authorization: Bearer " + c.secret());
    String api = endpoints.api();
    if (api != null) {
      out.println("For example: curl -H 'Authorization: Bearer " + c.secret() + "' " + api + "v1/plugins");
    }
  }

  @Descriptor("the bearer tokens: name, scope, when made and last used (never their secrets)")
  public void list(
      @Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
          absentValue = "false") boolean help,
      @Descriptor("print JSON") @Parameter(names = "--json", presentValue = "true", absentValue = "false")
          boolean json) {
    if (help) {
      CommandHelp.print(this, "token:list");
      return;
    }
    List<Token> all = tokens.list();
    PrintStream out = System.out;
    if (json) {
      List<Map<String, Object>> list = new ArrayList<>();
      for (Token t : all) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", t.name());
        m.put("scope", t.scope().word());
        m.put("created", t.created().toString());
        m.put("lastUsed", t.lastUsed() == null ? null : t.lastUsed().toString());
        list.add(m);
      }
      out.println(Json.pretty(list));
      return;
    }
    if (all.isEmpty()) {
      out.println("No tokens. Make one with token:create --name NAME [--scope read|admin].");
      return;
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"Name", "Scope", "Created", "Last used"});
    for (Token t : all) {
      rows.add(new String[] {t.name(), t.scope().word(), TimeFormat.of(t.created()), TimeFormat.of(t.lastUsed())});
    }
    Tables.print(out, rows);
  }

  @Descriptor("revoke a bearer token: requests that carry it are refused from now on")
  public void revoke(
      @Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
          absentValue = "false") boolean help,
      @Descriptor("the token's name") String name) {
    if (help) {
      CommandHelp.print(this, "token:revoke");
      return;
    }
    if (!tokens.revoke(name)) {
      throw new IllegalArgumentException("No token named " + name + ": token:list shows them");
    }
    System.out.println("Token " + name + " revoked.");
  }

  @Descriptor("revoke a bearer token: requests that carry it are refused from now on")
  public void revoke(@Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
      absentValue = "false") boolean help) {
    CommandHelp.withoutArguments(this, "token:revoke", help);
  }
}
