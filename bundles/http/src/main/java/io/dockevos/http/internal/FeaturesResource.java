package io.dockevos.http.internal;

import io.dockevos.common.internal.FeatureJson;
import io.dockevos.feature.Feature;
import io.dockevos.feature.FeatureException;
import io.dockevos.feature.FeatureManager;
import io.dockevos.systemlog.CommandHistory;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.servlet.whiteboard.HttpWhiteboardConstants;

/**
 * The features, as the feature manager has them and {@code feature:list --json} and {@code
 * feature:info --json} show them.
 *
 * <ul>
 *   <li>{@code GET /api/v1/features}: the installed ones (the boot features first), then those available
 *   <li>{@code GET /api/v1/features/NAME}: one, with its bundles, configurations and problems
 *   <li>{@code POST /api/v1/features} with {@code {"feature": "NAME"}}: installs it, as {@code feature:install}
 *   <li>{@code DELETE /api/v1/features/NAME}: uninstalls it, as {@code feature:uninstall}
 * </ul>
 */
@Component(service = Servlet.class, property = {
    HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=/v1/features",
    HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=/v1/features/*",
    HttpWhiteboardConstants.HTTP_WHITEBOARD_CONTEXT_SELECT + "=" + ApiContext.SELECT})
public final class FeaturesResource extends ApiServlet {
  private static final long serialVersionUID = 1L;
  private final transient FeatureManager features;
  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
  private transient volatile CommandHistory history;

  @Activate
  public FeaturesResource(@Reference FeatureManager features) {
    this.features = features;
  }

  @Override
  CommandHistory history() {
    return history;
  }

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    String[] path = path(req);
    if (path.length == 0) {
      List<Feature> all = new ArrayList<>(features.installed());
      Set<String> installed = all.stream().map(Feature::id).collect(Collectors.toSet());
      features.available().stream().filter(f -> !installed.contains(f.id())).forEach(all::add);
      Problems.json(resp, 200, all.stream().map(FeatureJson::of).toList());
    } else if (path.length == 1) {
      try {
        Problems.json(resp, 200, FeatureJson.of(features.details(path[0])));
      } catch (FeatureException e) {
        throw String.valueOf(e.getMessage()).startsWith("No feature named ") ? notFound(e.getMessage())
            : new Refusal(400, "Bad Request", e.getMessage());
      }
    } else {
      throw notFound("No resource " + req.getRequestURI() + ": GET /api/v1/features/NAME is one feature");
    }
  }

  @Override
  protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    if (path(req).length != 0) {
      throw notFound("No resource " + req.getRequestURI() + ": POST /api/v1/features with {\"feature\": \"NAME\"}"
          + " installs one");
    }
    Object name = body(req).get("feature");
    if (!(name instanceof String ref) || ref.isBlank()) {
      throw new Refusal(400, "Bad Request", "The body needs \"feature\": a feature's name, name/version or ID, as"
          + " feature:install takes it (GET /api/v1/features lists them)");
    }
    change(req, resp, () -> FeatureJson.of(known(() -> features.install(ref))), 409, "Conflict");
  }

  @Override
  protected void doDelete(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    String[] path = path(req);
    if (path.length != 1) {
      throw notFound("No resource " + req.getRequestURI() + ": DELETE /api/v1/features/NAME uninstalls one");
    }
    change(req, resp, () -> Map.of("uninstalled", FeatureJson.of(known(() -> features.uninstall(path[0])))), 409,
        "Conflict");
  }

  /** What the feature manager does with a feature. */
  @FunctionalInterface
  private interface Call {
    Feature run() throws FeatureException;
  }

  /** @return what the call returns; a feature that does not exist is 404, in the feature manager's words */
  private static Feature known(Call call) throws FeatureException {
    try {
      return call.run();
    } catch (FeatureException e) {
      if (String.valueOf(e.getMessage()).startsWith("No feature named ")) {
        throw notFound(e.getMessage());
      }
      throw e;
    }
  }
}
