package io.dockevos.errors.internal;

import io.dockevos.action.ActionEvents;
import io.dockevos.api.DeployEvents;
import io.dockevos.docker.DockerEvents;
import io.dockevos.error.Incident;
import io.dockevos.fallback.FallbackEvents;
import io.dockevos.error.IncidentProperties;
import io.dockevos.hardware.HardwareEvents;
import io.dockevos.plugin.PluginEvents;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;

/**
 * The error handler's sources that are Event Admin events (the topics {@link ErrorHandlerImpl}
 * subscribes to): each event becomes a failure that the error handler counts, or resolves the
 * incidents whose cause it says is gone.
 */
final class EventSources {
  private final ErrorHandlerImpl errors;
  private final BundleContext context;

  EventSources(ErrorHandlerImpl errors, BundleContext context) {
    this.errors = errors;
    this.context = context;
  }

  /**
   * The jar a refused install came from, for the assistant to install again: a plugin source that
   * names a local file (a path, relative to the home, or a {@code file:} URL), or {@code null}.
   */
  private String localFile(String source) {
    if (source == null || source.isBlank()) {
      return null;
    }
    try {
      java.nio.file.Path path;
      if (source.startsWith("file:")) {
        path = java.nio.file.Path.of(java.net.URI.create(source));
      } else if (source.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
        return null; // http:, mvn: and the like
      } else {
        String home = context.getProperty(io.dockevos.api.Host.HOME_PROPERTY);
        path = home == null ? java.nio.file.Path.of(source) : java.nio.file.Path.of(home).resolve(source);
      }
      path = path.toAbsolutePath().normalize();
      return java.nio.file.Files.isRegularFile(path) ? path.toString() : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  void handle(Event event) {
    String topic = event.getTopic();
    if (repeated(topic, event)) {
      return;
    }
    Map<String, String> props = eventProperties(event);
    switch (topic) {
      case PluginEvents.FAILED -> {
        Object id = event.getProperty(PluginEvents.BUNDLE_ID);
        Bundle b = id instanceof Long l ? context.getBundle(l) : null;
        String file = localFile(str(event, PluginEvents.SOURCE));
        props = new LinkedHashMap<>(props);
        if (file != null) {
          props.put(IncidentProperties.FILE, file);
        }
        requirements(event, props);
        errors.bundleFailure("plugin", str(event, PluginEvents.PLUGIN_ID), str(event, PluginEvents.PLUGIN_VERSION),
            b, str(event, PluginEvents.REASON), throwable(event), props);
      }
      case DeployEvents.FAILED -> {
        String file = str(event, DeployEvents.PROP_FILE);
        String reason = str(event, DeployEvents.PROP_REASON);
        String bsn = str(event, DeployEvents.PROP_BUNDLE);
        Object id = event.getProperty(DeployEvents.PROP_BUNDLE_ID);
        Bundle b = id instanceof Long l ? context.getBundle(l) : null;
        props = new LinkedHashMap<>(props);
        requirements(event, props);
        if (bsn != null) {
          errors.bundleFailure("deploy", bsn, b == null ? str(event, DeployEvents.PROP_BUNDLE_VERSION)
              : b.getVersion().toString(), b, reason, throwable(event), props);
        } else {
          Map<String, String> p = new LinkedHashMap<>(props);
          p.put(IncidentProperties.MESSAGE, Objects.requireNonNullElse(reason, ""));
          p.put(IncidentProperties.SUBJECT_KIND, "deploy");
          p.put(IncidentProperties.SUBJECT, String.valueOf(file));
          errors.record(new Failure("deploy", null, Incident.Severity.ERROR,
              Failure.oneLine("deploy/" + fileName(file) + " " + reason), "deploy/" + fileName(file) + " " + reason,
              "deploy|" + file, p));
        }
      }
      case DeployEvents.RECOVERED -> {
        String file = str(event, DeployEvents.PROP_FILE);
        errors.resolveWhere(null, i -> file != null && file.equals(i.properties().get(IncidentProperties.FILE)),
            "deploy/" + fileName(file) + " works again (" + DeployEvents.RECOVERED + ")");
      }
      case ActionEvents.FAILED -> {
        String kind = Objects.requireNonNullElse(str(event, ActionEvents.KIND), "FAILED");
        if ("CANCELLED".equals(kind) || "INVALID_INPUT".equals(kind) || "NOT_FOUND".equals(kind)) {
          return; // stopped on purpose, or asked wrongly: the user is told, and the runtime did not fail
        }
        String plugin = str(event, ActionEvents.PLUGIN_ID);
        String action = str(event, ActionEvents.ACTION);
        String reason = str(event, ActionEvents.REASON);
        Map<String, String> p = new LinkedHashMap<>(props);
        p.put(IncidentProperties.MESSAGE, Objects.requireNonNullElse(reason, kind));
        p.put(IncidentProperties.SUBJECT_KIND, "action");
        p.put(IncidentProperties.SUBJECT, plugin + "/" + action);
        p.putAll(Failure.describe(throwable(event)));
        errors.record(new Failure("action", plugin, "BUSY".equals(kind) ? Incident.Severity.WARNING
            : Incident.Severity.ERROR, Failure.oneLine("action " + plugin + "/" + action + " " + kind + ": " + reason),
            "action " + plugin + "/" + action + " " + kind + ": " + reason, "action|" + plugin + "|" + action + "|"
            + kind, p));
      }
      case ActionEvents.EXECUTED -> {
        String subject = str(event, ActionEvents.PLUGIN_ID) + "/" + str(event, ActionEvents.ACTION);
        if (errors.hasOpen("action", subject)) {
          errors.resolveWhere("action", i -> subject.equals(i.properties().get(IncidentProperties.SUBJECT)),
              "the action " + subject + " succeeded since");
        }
      }
      case DockerEvents.ENGINE_DOWN -> {
        String endpoint = Objects.requireNonNullElse(str(event, DockerEvents.ENDPOINT), "default");
        String reason = str(event, DockerEvents.REASON);
        Map<String, String> p = new LinkedHashMap<>(props);
        p.put(IncidentProperties.MESSAGE, Objects.requireNonNullElse(reason, "the engine cannot be reached"));
        p.put(IncidentProperties.SUBJECT_KIND, "engine");
        p.put(IncidentProperties.SUBJECT, endpoint);
        errors.record(new Failure("docker", null, Incident.Severity.ERROR,
            Failure.oneLine("The container engine " + endpoint + " is down: " + reason),
            "The container engine " + endpoint + " is down: " + reason, "docker|engine|" + endpoint, p));
      }
      case DockerEvents.ENGINE_UP -> {
        String endpoint = str(event, DockerEvents.ENDPOINT);
        errors.resolveWhere("engine", i -> endpoint == null || endpoint.equals(i.properties().get(IncidentProperties.SUBJECT))
            || "default".equals(i.properties().get(IncidentProperties.SUBJECT)), "the container engine is up again");
      }
      case DockerEvents.CONTAINER_DIED -> {
        String name = Objects.requireNonNullElse(str(event, DockerEvents.CONTAINER_NAME),
            str(event, DockerEvents.CONTAINER_ID));
        String code = str(event, DockerEvents.EXIT_CODE);
        String reason = str(event, DockerEvents.REASON);
        Map<String, String> p = new LinkedHashMap<>(props);
        p.put(IncidentProperties.MESSAGE, Objects.requireNonNullElse(reason, "exit code " + code));
        errors.record(new Failure("docker", null, Incident.Severity.ERROR,
            Failure.oneLine("The container " + name + " died (exit code " + code + ")" + (reason != null ? ": "
                + reason : "")), "The container " + name + " (" + str(event, DockerEvents.IMAGE) + ") died, exit code "
            + code + (reason != null ? ": " + reason : ""), "docker|container|" + name + "|" + code, p));
      }
      case HardwareEvents.THRESHOLD -> {
        String resource = Objects.requireNonNullElse(str(event, HardwareEvents.RESOURCE), "resource");
        String reason = Objects.requireNonNullElse(str(event, HardwareEvents.REASON), resource + " is at "
            + str(event, HardwareEvents.VALUE) + ", past its threshold " + str(event, HardwareEvents.LIMIT));
        Map<String, String> p = new LinkedHashMap<>(props);
        p.put(IncidentProperties.MESSAGE, reason);
        p.put(IncidentProperties.SUBJECT_KIND, "threshold");
        p.put(IncidentProperties.SUBJECT, resource);
        errors.record(new Failure("hardware", null, Incident.Severity.WARNING, Failure.oneLine(reason), reason,
            "hardware|threshold|" + resource, p));
      }
      case HardwareEvents.THRESHOLD_CLEARED -> {
        String resource = str(event, HardwareEvents.RESOURCE);
        errors.resolveWhere("threshold", i -> resource == null || resource.equals(i.properties().get(IncidentProperties.SUBJECT)),
            resource + " is back within its threshold");
      }
      case HardwareEvents.TOOL_MISSING -> {
        String tool = str(event, HardwareEvents.TOOL);
        String plugin = str(event, HardwareEvents.PLUGIN_ID);
        String reason = Objects.requireNonNullElse(str(event, HardwareEvents.REASON), tool + " "
            + Objects.requireNonNullElse(str(event, HardwareEvents.REQUIRED), "") + " is missing");
        Map<String, String> p = new LinkedHashMap<>(props);
        p.put(IncidentProperties.MESSAGE, reason);
        errors.record(new Failure("hardware", plugin, Incident.Severity.WARNING, Failure.oneLine(reason), reason
            + (str(event, HardwareEvents.HINT) != null ? "\n" + str(event, HardwareEvents.HINT) : ""),
            "hardware|tool|" + tool + "|" + plugin, p));
      }
      case FallbackEvents.REFUSED -> {
        String plugin = str(event, FallbackEvents.PLUGIN_ID);
        String image = str(event, FallbackEvents.IMAGE);
        String command = Objects.requireNonNullElse(str(event, FallbackEvents.COMMAND), "?");
        String reason = Objects.requireNonNullElse(str(event, FallbackEvents.REASON), "no container runner runs it");
        String subject = image != null ? image : "isolated";
        Map<String, String> p = new LinkedHashMap<>(props);
        p.put(IncidentProperties.MESSAGE, reason);
        p.put(IncidentProperties.SUBJECT_KIND, "isolation");
        p.put(IncidentProperties.SUBJECT, subject);
        errors.record(new Failure("fallback", plugin, Incident.Severity.ERROR,
            Failure.oneLine("A job that asks for isolation (" + (image != null ? "the image " + image : "isolated")
                + ") was refused, not run on the host: " + command),
            "The job '" + command + "' was refused: " + reason, "fallback|refused|" + plugin + "|" + subject, p));
      }
      case FallbackEvents.DEACTIVATED -> errors.resolveWhere("isolation", i -> true,
          "a container runner is registered again: jobs that ask for isolation run in containers");
      default -> {
        // not subscribed
      }
    }
  }

  /**
   * The missing requirements a {@link PluginEvents#FAILED} or {@link DeployEvents#FAILED} event
   * carries as values ({@link PluginEvents#REQUIREMENT_NAMESPACES}, {@link
   * PluginEvents#REQUIREMENT_FILTERS}; the deploy folder's keys are the same), kept as the
   * incident's {@link IncidentProperties#REQUIREMENT} record in place of the raw arrays: what a
   * refused install lacked, when its bundle is gone and cannot be asked any more.
   */
  static void requirements(Event event, Map<String, String> props) {
    props.remove(PluginEvents.REQUIREMENT_NAMESPACES);
    props.remove(PluginEvents.REQUIREMENT_FILTERS);
    if (event.getProperty(PluginEvents.REQUIREMENT_NAMESPACES) instanceof String[] namespaces
        && event.getProperty(PluginEvents.REQUIREMENT_FILTERS) instanceof String[] filters
        && namespaces.length == filters.length && namespaces.length > 0) {
      List<String> lines = new ArrayList<>();
      for (int i = 0; i < namespaces.length; i++) {
        lines.add(namespaces[i] + "; " + Objects.requireNonNullElse(filters[i], ""));
      }
      props.put(IncidentProperties.REQUIREMENT, String.join("\n", lines));
    }
  }

  /**
   * A storm's fast path: a failed action or deploy file that is an open incident already, from the
   * same source, is counted without building its properties again (those of its first occurrence
   * stay).
   */
  private boolean repeated(String topic, Event event) {
    String key;
    String source;
    if (topic.equals(ActionEvents.FAILED)) {
      key = "action|" + str(event, ActionEvents.PLUGIN_ID) + "|" + str(event, ActionEvents.ACTION) + "|"
          + Objects.requireNonNullElse(str(event, ActionEvents.KIND), "FAILED");
      source = "action";
    } else if (topic.equals(DeployEvents.FAILED) && event.getProperty(DeployEvents.PROP_BUNDLE) == null) {
      key = "deploy|" + str(event, DeployEvents.PROP_FILE);
      source = "deploy";
    } else {
      return false;
    }
    return errors.countRepeat(key, source);
  }

  static String fileName(String file) {
    return file == null ? "?" : Path.of(file).getFileName().toString();
  }

  private static String str(Event e, String key) {
    Object v = e.getProperty(key);
    return v == null ? null : v.toString();
  }

  private static Throwable throwable(Event e) {
    return e.getProperty(EventConstants.EXCEPTION) instanceof Throwable t ? t : null;
  }

  /** The source event's properties, as strings, for analyzers. */
  static Map<String, String> eventProperties(Event event) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put(IncidentProperties.TOPIC, event.getTopic());
    for (String name : event.getPropertyNames()) {
      Object v = event.getProperty(name);
      if (name.equals(EventConstants.EVENT_TOPIC) || v == null || v instanceof Throwable) {
        continue;
      }
      p.put(name, v.getClass().isArray() ? java.util.Arrays.deepToString(new Object[] {v}).replaceAll("^\\[|\\]$", "")
          : v.toString());
    }
    return p;
  }
}
