package io.dockevos.assist.internal;

import io.dockevos.assist.Diagnosis;
import io.dockevos.assist.ErrorAnalyzer;
import io.dockevos.common.internal.Json;
import io.dockevos.common.internal.Secrets;
import io.dockevos.error.Incident;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks an OpenAI-compatible chat endpoint ({@code POST {url}/chat/completions}) about an incident.
 * It exists only when its configuration {@value #PID} does, opens no connection before its first
 * analysis, and waits at most {@code timeout} seconds. Its answer is a diagnosis of low confidence
 * with no fix: a person judges it. What it sends leaves this machine, so the incident goes redacted
 * ({@link Secrets}): its summary, detail and properties without passwords, tokens or keys.
 */
@Component(service = ErrorAnalyzer.class, configurationPid = AiAnalyzer.PID,
    configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = AiAnalyzer.Config.class)
public final class AiAnalyzer implements ErrorAnalyzer {
  static final String PID = "dockevos.assist.ai";
  static final String NAME = "ai";
  static final double CONFIDENCE = 0.3;
  private static final Logger LOG = LoggerFactory.getLogger(AiAnalyzer.class);
  private static final int MAX_DETAIL = 4000;

  @ObjectClassDefinition(id = PID, name = "Shell assistant: AI analyzer",
      description = "An OpenAI-compatible chat endpoint that the assistant asks about each incident")
  public @interface Config {
    @AttributeDefinition(description = "The endpoint's base URL; the analyzer posts to {url}/chat/completions")
    String url();

    @AttributeDefinition(description = "The model to ask")
    String model();

    @AttributeDefinition(name = "API key", type = AttributeType.PASSWORD, required = false,
        description = "Sent as 'Authorization: Bearer KEY'; none when empty")
    String apiKey() default "";

    @AttributeDefinition(description = "How long to wait for an answer, in seconds", min = "1", max = "120")
    int timeout() default 10;
  }

  private final URI endpoint;
  /** The endpoint as logs and diagnoses name it: a password in its URL masked. */
  private final String shown;
  private final String model;
  private final String apiKey;
  private final Duration timeout;
  private volatile HttpClient client;

  @Activate
  public AiAnalyzer(Config config) {
    this(config.url(), config.model(), config.apiKey(), Duration.ofSeconds(Math.max(1, config.timeout())));
  }

  AiAnalyzer(String url, String model, String apiKey, Duration timeout) {
    if (url == null || url.isBlank() || !(url.startsWith("http://") || url.startsWith("https://"))) {
      throw new IllegalArgumentException("configuration " + PID + ": url must be an http: or https: URL, it is '" + url + "'");
    }
    if (model == null || model.isBlank()) {
      throw new IllegalArgumentException("configuration " + PID + ": model is required");
    }
    String base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    this.endpoint = URI.create(base + "/chat/completions");
    this.shown = Secrets.redact(endpoint.toString());
    this.model = model;
    this.apiKey = apiKey == null ? "" : apiKey.trim();
    this.timeout = timeout;
  }

  @Override
  public String name() {
    return NAME;
  }

  /** The request body: the model, a system message that says what to answer, the incident as the user's. */
  String request(Incident incident) {
    StringBuilder user = new StringBuilder();
    user.append("Incident ").append(incident.id()).append(" (").append(incident.severity()).append(", source ")
        .append(incident.source()).append(", seen ").append(incident.count()).append(" times)");
    if (incident.pluginId() != null) {
      user.append(" in plugin ").append(incident.pluginId());
    }
    user.append(":\n").append(Secrets.redact(incident.summary())).append('\n');
    new TreeMap<>(incident.properties()).forEach((k, v) -> user.append(k).append(" = ").append(Secrets.value(k, v))
        .append('\n'));
    if (incident.detail() != null && !incident.detail().isBlank()) {
      String d = Secrets.redact(incident.detail());
      user.append("Detail:\n").append(d.length() > MAX_DETAIL ? d.substring(0, MAX_DETAIL) + "\n[...]" : d);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("model", model);
    body.put("messages", List.of(
        Map.of("role", "system", "content", "You help the users of dockevOS, an OSGi runtime on Apache Felix with"
            + " Declarative Services, Gogo, Configuration Admin and Event Admin. Say in at most three sentences what"
            + " most likely caused this incident and what the user should do."),
        Map.of("role", "user", "content", user.toString())));
    body.put("temperature", 0);
    return Json.value(body).toString();
  }

  @Override
  public List<Diagnosis> analyze(Incident incident) {
    HttpClient c = client;
    if (c == null) {
      c = client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }
    HttpRequest.Builder req = HttpRequest.newBuilder(endpoint).timeout(timeout)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(request(incident), StandardCharsets.UTF_8));
    if (!apiKey.isEmpty()) {
      req.header("Authorization", "Bearer " + apiKey);
    }
    String problem;
    try {
      HttpResponse<String> response = c.send(req.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      if (response.statusCode() / 100 == 2) {
        String answer = answer(response.body());
        if (answer != null) {
          return List.of(new Diagnosis(NAME, "The AI (" + model + ") suggests: " + answer.strip(), CONFIDENCE, List.of()));
        }
        problem = "its answer has no choices[0].message.content";
      } else {
        String b = response.body() == null ? "" : response.body().strip();
        problem = "it answered HTTP " + response.statusCode() + (b.isEmpty() ? "" : ": " + (b.length() > 200
            ? b.substring(0, 200) + "..." : b));
      }
    } catch (java.net.http.HttpTimeoutException e) {
      problem = "it did not answer within " + timeout.toSeconds() + " s";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      problem = "interrupted";
    } catch (Exception e) {
      problem = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
    problem = Secrets.redact(problem);
    LOG.warn("The AI analyzer at {} could not answer about incident {}: {}", shown, incident.id(), problem);
    return List.of(new Diagnosis(NAME, "(The AI analyzer at " + shown + " could not answer: " + problem + ")", 0.0,
        List.of()));
  }

  /** @return {@code choices[0].message.content} of a chat completion, or {@code null} */
  static String answer(String body) {
    try {
      JsonObject o = Json.read(new StringReader(body));
      JsonArray choices = o.getJsonArray("choices");
      if (choices == null || choices.isEmpty()) {
        return null;
      }
      JsonObject message = choices.getJsonObject(0).getJsonObject("message");
      return message == null ? null : message.getString("content", null);
    } catch (RuntimeException e) {
      return null;
    }
  }
}
