package io.dockevos.webconsole.internal;

import io.dockevos.install.Change;
import io.dockevos.install.Installer;
import io.dockevos.install.Plan;
import io.dockevos.plugin.Plugin;
import io.dockevos.plugin.PluginManager;
import io.dockevos.plugin.PluginState;
import io.dockevos.security.Permission;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.felix.webconsole.servlet.ServletConstants;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The tab Plugins: the plugins with their state; install by upload, which shows the plan first (every
 * bundle it installs, and the permissions they ask for) and installs only when confirmed, granting the
 * permissions only when asked to; enable, disable and uninstall. An upload is kept in {@code
 * data/webconsole/uploads/} (the plugin's source, for a later update); one that is not installed is
 * deleted.
 */
@Component(service = Servlet.class, property = {
    ServletConstants.PLUGIN_LABEL + "=" + PluginsTab.LABEL,
    ServletConstants.PLUGIN_TITLE + "=dockevOS Plugins",
    ServletConstants.PLUGIN_CATEGORY + "=" + Tab.CATEGORY})
public final class PluginsTab extends Tab {
  private static final long serialVersionUID = 1L;
  static final String LABEL = "dockevos-plugins";
  /** The upload waiting for its confirmation, in the session's data. */
  private static final String PENDING = "plugins.pending";
  private static final Pattern JAR_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,120}\\.jar");
  static final long MAX_UPLOAD = 64L * 1024 * 1024;

  /** An uploaded jar and the plan made for it. */
  record Pending(Path jar, String name, Plan plan) {}

  private final transient PluginManager plugins;
  private final transient Installer installer;
  private final transient Audit audit;
  private final transient Path uploads;
  private final transient SecureRandom random = new SecureRandom();

  @Activate
  public PluginsTab(@Reference PluginManager plugins, @Reference Installer installer, @Reference Audit audit,
      BundleContext context) {
    this(plugins, installer, audit, Path.of(context.getProperty("dockevos.data")).resolve("webconsole/uploads"));
  }

  PluginsTab(PluginManager plugins, Installer installer, Audit audit, Path uploads) {
    this.plugins = plugins;
    this.installer = installer;
    this.audit = audit;
    this.uploads = uploads;
  }

  @Override
  String label() {
    return LABEL;
  }

  @Override
  Audit audit() {
    return audit;
  }

  @Override
  void render(HttpServletRequest req, PrintWriter out, Forms forms) {
    Sessions.Session s = session(req);
    Pending pending = s == null ? null : (Pending) s.data.get(PENDING);
    if (pending != null) {
      renderPlan(out, forms, pending);
    }
    out.println("<h2>Install a plugin</h2>");
    out.println(forms.open("upload", true, "upload-form")
        + "<input type=\"file\" name=\"jar\" id=\"upload-file\" accept=\".jar\"> "
        + "<button type=\"submit\" id=\"upload\">Show what it installs</button></form>");
    out.println("<p>The jar is planned first: nothing is installed until you confirm the plan.</p>");

    out.println("<h2>Plugins</h2>");
    out.println("<table class=\"nicetable\" id=\"plugins\"><thead><tr><th>Id</th><th>Plugin</th><th>Version</th>"
        + "<th>State</th><th>Trust</th><th>Components</th><th>Source</th><th></th></tr></thead><tbody>");
    List<Plugin> list = plugins.list().stream().filter(p -> !p.boot()).toList();
    for (Plugin p : list) {
      String n = p.symbolicName();
      out.print("<tr id=\"plugin-" + a(n) + "\"><td>" + p.id() + "</td><td>" + h(n) + "<br><small>" + h(p.name())
          + "</small></td><td>" + h(p.version()) + "</td><td class=\"state\">" + h(p.state())
          + (p.reason() == null ? "" : "<br><small>" + h(p.reason()) + "</small>") + "</td><td>"
          + h(p.trust().name().toLowerCase(Locale.ROOT)) + "</td><td>" + h(p.components()) + "</td><td><small>"
          + h(p.source()) + "</small></td><td>");
      if (p.state() == PluginState.DISABLED) {
        out.print(forms.button("enable", "Enable", "enable-" + n, "target", n));
      } else {
        out.print(forms.button("disable", "Disable", "disable-" + n, "target", n));
      }
      out.print(" " + forms.button("uninstall", "Uninstall", "uninstall-" + n, "target", n));
      out.println("</td></tr>");
    }
    out.println("</tbody></table>");
    if (list.isEmpty()) {
      out.println("<p>No plugins yet: the runtime's own bundles are in the Bundles tab.</p>");
    }
  }

  private static void renderPlan(PrintWriter out, Forms forms, Pending pending) {
    Plan plan = pending.plan();
    out.println("<div id=\"plan\" class=\"ui-widget-content\" style=\"padding:0.5em;margin-bottom:1em\">");
    out.println("<h2>What installing " + h(pending.name()) + " does</h2>");
    List<List<String>> rows = new ArrayList<>();
    for (Plan.Step st : plan.steps()) {
      rows.add(List.of(st.op().name().toLowerCase(Locale.ROOT), st.symbolicName(), st.version(), st.source(),
          st.reason()));
    }
    table(out, "plan-steps", List.of("Action", "Bundle", "Version", "Source", "Why"), rows);
    if (!plan.startOrder().isEmpty()) {
      out.println("<p>Start order: " + h(String.join(", ", plan.startOrder())) + "</p>");
    }
    if (!plan.configurations().isEmpty()) {
      out.println("<p>Configurations: " + h(String.join(", ", plan.configurations())) + "</p>");
    }
    out.println("<h3>Permissions asked for</h3>");
    if (plan.permissions().isEmpty()) {
      out.println("<p id=\"permissions\">None: no bundle of the plan asks for a permission.</p>");
    } else {
      out.println("<ul id=\"permissions\">");
      for (Plan.PermissionRequest r : plan.permissions()) {
        String state = r.ungranted().isEmpty() ? "granted already" : r.policy() != null
            ? "granted by the policy, " + r.policy() : "NOT GRANTED: installing grants them only if you tick the box";
        out.println("<li>" + h(r.identity()) + ": " + h(Permission.join(r.requested())) + " (" + h(state) + ")</li>");
      }
      out.println("</ul>");
    }
    out.println(forms.open("install", false, "install-form"));
    if (!plan.ungranted().isEmpty()) {
      out.println("<label><input type=\"checkbox\" name=\"grant\" value=\"true\" id=\"grant\"> Grant the permissions"
          + " marked NOT GRANTED</label><br>");
    }
    out.println("<button type=\"submit\" id=\"install\">Install</button></form> "
        + forms.button("cancel", "Cancel", "cancel"));
    out.println("</div>");
  }

  @Override
  Outcome act(HttpServletRequest req, Sessions.Session s) throws Exception {
    String op = field(req, "op");
    String target = field(req, "target");
    switch (op == null ? "" : op) {
      case "upload":
        return upload(req, s);
      case "install":
        return install(s, "true".equals(field(req, "grant")), who(req));
      case "cancel":
        discard(s);
        return Outcome.ok("Nothing was installed.");
      case "enable":
        Plugin enabled = plugins.enable(ref(target));
        return Outcome.ok("Enabled " + enabled.symbolicName() + ": " + enabled.state());
      case "disable":
        Plugin disabled = plugins.disable(ref(target));
        return Outcome.ok("Disabled " + disabled.symbolicName() + ": " + disabled.state());
      case "uninstall":
        Plugin gone = plugins.find(ref(target)).orElseThrow();
        plugins.uninstall(String.valueOf(gone.id()), false);
        return Outcome.ok("Uninstalled " + gone.symbolicName() + " " + gone.version() + ".");
      default:
        return Outcome.failed("No action '" + op + "' on the Plugins tab: upload, install, cancel, enable, disable or"
            + " uninstall");
    }
  }

  private String ref(String target) {
    if (target == null || target.isBlank()) {
      throw new IllegalArgumentException("The form names no plugin");
    }
    return plugins.find(target).map(p -> String.valueOf(p.id()))
        .orElseThrow(() -> new IllegalArgumentException("No plugin " + target + ": the list below shows them"));
  }

  private Outcome upload(HttpServletRequest req, Sessions.Session s) throws IOException, ServletException {
    if (s == null) {
      return Outcome.failed("An upload is planned for a browser's session: with a token, use POST /api/v1/plugins");
    }
    if (!isMultipart(req)) {
      return Outcome.failed("An upload is a multipart/form-data form with the file in the field jar");
    }
    Part part = req.getPart("jar");
    if (part == null || part.getSubmittedFileName() == null || part.getSubmittedFileName().isEmpty()) {
      return Outcome.failed("Choose a plugin's jar file first.");
    }
    String name = safeName(part.getSubmittedFileName());
    if (part.getSize() > MAX_UPLOAD) {
      return Outcome.failed(name + " is " + part.getSize() + " bytes: an upload may have at most " + MAX_UPLOAD);
    }
    discard(s);
    Path dir = uploads.resolve(HexFormat.of().formatHex(randomBytes()));
    Files.createDirectories(dir);
    Path jar = dir.resolve(name);
    try (InputStream in = part.getInputStream(); OutputStream o = Files.newOutputStream(jar)) {
      in.transferTo(o);
    }
    try {
      Plan plan = installer.plan(change(jar, Set.of(), who(req)));
      s.data.put(PENDING, new Pending(jar, name, plan));
      return Outcome.ok("Review what installing " + name + " does, then install it or cancel.");
    } catch (Exception e) {
      delete(jar);
      return Outcome.failed("Cannot install " + name + ": " + e.getMessage());
    }
  }

  private Outcome install(Sessions.Session s, boolean grant, String who) throws Exception {
    Pending pending = s == null ? null : (Pending) s.data.remove(PENDING);
    if (pending == null) {
      return Outcome.failed("No upload waits to be installed: upload the jar again.");
    }
    Set<Change.Option> options = grant ? Set.of(Change.Option.GRANT) : Set.of();
    try {
      // Planned again: what is installed may have changed since the plan was shown.
      Plan plan = installer.plan(change(pending.jar(), options, who));
      return Outcome.ok(describe(plan, installer.apply(plan)));
    } catch (Exception e) {
      delete(pending.jar());
      return Outcome.failed("Nothing was installed: " + e.getMessage());
    }
  }

  private String describe(Plan plan, io.dockevos.install.Outcome applied) {
    List<String> lines = new ArrayList<>();
    List<Plan.Step> installs = plan.installs();
    for (int i = 0; i < installs.size() && i < applied.bundles().size(); i++) {
      Plan.Step st = installs.get(i);
      long id = applied.bundles().get(i);
      String state = plugins.find(String.valueOf(id)).map(p -> p.state().name()).orElse("?");
      lines.add("Installed " + st.identity() + " as plugin " + id + ": " + state
          + ("named".equals(st.reason()) ? "" : " (needed: " + st.reason() + ")"));
    }
    if (plan.change().options().contains(Change.Option.GRANT)) {
      for (Plan.PermissionRequest r : plan.ungranted()) {
        lines.add("Granted " + Permission.join(r.ungranted()) + " to " + r.symbolicName());
      }
    }
    return lines.isEmpty() ? "The plan changed nothing." : String.join("\n", lines);
  }

  private static Change change(Path jar, Set<Change.Option> options, String who) {
    return new Change(List.of(Change.Item.install(jar.toString())), Change.Scope.REPOSITORIES,
        options.isEmpty() ? EnumSet.noneOf(Change.Option.class) : EnumSet.copyOf(options), "webconsole", who);
  }

  private void discard(Sessions.Session s) {
    Object old = s == null ? null : s.data.remove(PENDING);
    if (old instanceof Pending p) {
      delete(p.jar());
    }
  }

  /**
   * @return the file's own name, without any folder the browser sent
   * @throws IllegalArgumentException when it is not a plain {@code .jar} name
   */
  static String safeName(String submitted) {
    String base = submitted.replace('\\', '/');
    base = base.substring(base.lastIndexOf('/') + 1);
    if (!JAR_NAME.matcher(base).matches() || base.contains("..")) {
      throw new IllegalArgumentException("'" + submitted + "' is not a plugin's jar: the name must end in .jar and"
          + " have letters, digits, '.', '_', '+' or '-' only");
    }
    return base;
  }

  private byte[] randomBytes() {
    byte[] b = new byte[8];
    random.nextBytes(b);
    return b;
  }

  private static void delete(Path jar) {
    try {
      Files.deleteIfExists(jar);
      Files.deleteIfExists(jar.getParent());
    } catch (IOException e) {
      // a leftover upload in data/webconsole/uploads does no harm
    }
  }
}
