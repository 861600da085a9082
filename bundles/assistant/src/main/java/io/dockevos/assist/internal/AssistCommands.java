package io.dockevos.assist.internal;

import io.dockevos.assist.AppliedFix;
import io.dockevos.assist.Assistant;
import io.dockevos.assist.Diagnosis;
import io.dockevos.assist.Fix;
import io.dockevos.assist.Risk;
import io.dockevos.common.internal.Tables;
import io.dockevos.error.ErrorHandler;
import io.dockevos.error.Incident;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The {@code assist:*} commands, a thin layer over {@link Assistant} and the error handler. A
 * failure is thrown as an {@link IllegalStateException}, which the console and {@code bin/dockevos
 * client} print as it is (the client then exits 1).
 */
@Component(configurationPolicy = ConfigurationPolicy.IGNORE, service = AssistCommands.class, property = {"osgi.command.scope=assist", "osgi.command.function=analyze",
    "osgi.command.function=fix", "osgi.command.function=fixes", "osgi.command.function=policy"})
public final class AssistCommands {
  private final Assistant assistant;

  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
      policyOption = ReferencePolicyOption.GREEDY)
  volatile ErrorHandler errors;

  @Activate
  public AssistCommands(@Reference Assistant assistant) {
    this.assistant = assistant;
  }

  @Descriptor("analyse incidents and list the ranked diagnoses with their fixes: one incident, or every open one")
  public void analyze(CommandSession session,
      @Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
          absentValue = "false") boolean help, @Descriptor("the incident's id (all open incidents when none)")
      String... incident) {
    if (help) {
      io.dockevos.common.internal.CommandHelp.print(this, "assist:analyze");
      return;
    }
    PrintStream out = session.getConsole();
    ErrorHandler handler = errors;
    List<Incident> incidents = new ArrayList<>();
    if (incident.length > 0) {
      for (String id : incident) {
        incidents.add(incident(id));
      }
    } else if (handler != null) {
      incidents.addAll(handler.incidents(false).stream()
          .filter(i -> i.status() == Incident.Status.OPEN || i.status() == Incident.Status.ANALYSED).toList());
    }
    if (incidents.isEmpty()) {
      out.println("No open incidents" + (handler == null ? " (the error handler is not running)." : "."));
      return;
    }
    for (Incident i : incidents) {
      List<Diagnosis> diagnoses = assistant.analyze(i);
      print(out, i, diagnoses);
      if (handler != null && i.status() == Incident.Status.OPEN) {
        try {
          handler.setStatus(i.id(), Incident.Status.ANALYSED);
        } catch (RuntimeException e) {
          out.println("  (the error handler did not mark it ANALYSED: " + e.getMessage() + ")");
        }
      }
    }
  }

  static void print(PrintStream out, Incident i, List<Diagnosis> diagnoses) {
    out.println(i.id() + " [" + i.severity() + ", " + i.source() + (i.pluginId() != null ? ", " + i.pluginId() : "")
        + ", seen " + i.count() + "x] " + i.summary());
    if (diagnoses.isEmpty()) {
      out.println("  No analyzer recognises it.");
      return;
    }
    int n = 0;
    for (int d = 0; d < diagnoses.size(); d++) {
      Diagnosis diag = diagnoses.get(d);
      out.println("  " + (d + 1) + ". " + diag.cause() + " (" + Math.round(diag.confidence() * 100) + "% sure, "
          + diag.analyzer() + ")");
      for (Fix f : diag.fixes()) {
        n++;
        out.println("     fix " + n + " [" + f.risk() + "]: " + f.description()
            + (f.risk() == Risk.MANUAL ? "" : "  (assist:fix " + i.id() + " " + n + ")"));
      }
    }
  }

  @Descriptor("apply a fix for an incident: shows what will change, asks y/N, applies it and checks that it worked")
  public void fix(CommandSession session,
      @Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
          absentValue = "false") boolean help,
      @Descriptor("apply without asking (for scripts)") @Parameter(names = {"-y", "--yes"}, presentValue = "true",
          absentValue = "false") boolean yes,
      @Descriptor("the incident's id") String incident,
      @Descriptor("the fix's number in assist:analyze (1 when none)") String... number) {
    if (help) {
      io.dockevos.common.internal.CommandHelp.print(this, "assist:fix");
      return;
    }
    PrintStream out = session.getConsole();
    Incident i = incident(incident);
    int n = 1;
    for (String word : number) {
      if (word.equals("--yes") || word.equals("-y")) {
        yes = true; // typed after the incident
        continue;
      }
      try {
        n = Integer.parseInt(word);
      } catch (NumberFormatException e) {
        throw new IllegalStateException("The fix number must be a number, it is '" + word + "'");
      }
    }
    List<Diagnosis> diagnoses = assistant.analyze(i);
    Fix fix;
    try {
      fix = io.dockevos.common.internal.FixChoice.pick(i, diagnoses, n, "assist:analyze " + i.id());
    } catch (io.dockevos.common.internal.FixChoice.NoSuchFix e) {
      if (e.noneKnown()) {
        print(out, i, diagnoses);
      }
      throw new IllegalStateException(e.getMessage());
    }
    out.println("Fix " + n + " for " + i.id() + " [" + fix.risk() + "]: " + fix.description());
    out.println("What will change:");
    fix.dryRun().lines().forEach(l -> out.println("  " + l));
    if (fix.risk() == Risk.MANUAL) {
      out.println("This is a manual procedure: nothing is applied. Follow the steps, then run assist:analyze " + i.id()
          + " again.");
      return;
    }
    if (!yes) {
      out.print("Apply it? [y/N] ");
      out.flush();
      String answer = readLine(session.getKeyboard());
      if (answer == null) {
        out.println();
        throw new IllegalStateException("Not applied: there is no terminal to answer y/N on (bin/dockevos client has"
            + " none); run assist:fix --yes " + i.id() + " " + n + " to apply it without asking");
      }
      if (!answer.trim().equalsIgnoreCase("y") && !answer.trim().equalsIgnoreCase("yes")) {
        out.println("Not applied.");
        return;
      }
    }
    AppliedFix applied = assistant.apply(i, fix, Assistant.BY_USER);
    if (!applied.worked()) {
      throw new IllegalStateException("The fix did not work: " + applied.result());
    }
    out.println("Applied: " + applied.result());
    out.println(i.id() + " is FIXED.");
  }

  /** {@code assist:fix} without its arguments: its help with {@code --help}, else what it needs. */
  public void fix(@Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
      absentValue = "false") boolean help) {
    io.dockevos.common.internal.CommandHelp.withoutArguments(this, "assist:fix", help);
  }

  /** One line typed at the console, without its end; {@code null} at the end of the input, before any character. */
  static String readLine(InputStream in) {
    return io.dockevos.common.internal.Prompts.readLine(in);
  }

  @Descriptor("every fix applied: when, for which incident, by whom (user or policy), what, and the result")
  public void fixes(CommandSession session,
      @Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
          absentValue = "false") boolean help) {
    if (help) {
      io.dockevos.common.internal.CommandHelp.print(this, "assist:fixes");
      return;
    }
    PrintStream out = session.getConsole();
    List<AppliedFix> all = assistant.history();
    if (all.isEmpty()) {
      out.println("No fix was applied yet.");
      return;
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"When", "Incident", "By", "Risk", "Result", "Fix"});
    for (AppliedFix f : all) {
      rows.add(new String[] {io.dockevos.common.internal.TimeFormat.of(f.at()), f.incidentId(), f.by(), f.risk().name(),
          f.worked() ? "worked" : f.rolledBack() ? "failed, rolled back" : "failed", f.fix() + ": " + f.result()});
    }
    Tables.print(out, rows);
  }

  @Descriptor("the policy in effect: which fixes apply by themselves (configuration dockevos.assist)")
  public void policy(CommandSession session,
      @Descriptor("shows this help") @Parameter(names = {"-h", "--help"}, presentValue = "true",
          absentValue = "false") boolean help) {
    if (help) {
      io.dockevos.common.internal.CommandHelp.print(this, "assist:policy");
      return;
    }
    session.getConsole().println(assistant instanceof AssistantImpl a ? a.policy() : "unknown");
  }

  private Incident incident(String id) {
    ErrorHandler handler = errors;
    if (handler == null) {
      throw new IllegalStateException("No incident " + id + ": the error handler is not running");
    }
    return handler.incident(id).orElseThrow(() -> new IllegalStateException("No incident " + id
        + "; assist:analyze lists the open ones"));
  }
}
