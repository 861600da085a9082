package io.dockevos.http.internal;

import java.util.Map;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.servlet.runtime.HttpServiceRuntime;

/** Where the HTTP server listens, as its runtime service says ({@code osgi.http.endpoint}). */
@Component(service = Endpoints.class)
public final class Endpoints {
  private volatile Object endpoint;

  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
  void setRuntime(HttpServiceRuntime runtime, Map<String, Object> props) {
    endpoint = props.get("osgi.http.endpoint");
  }

  void unsetRuntime(HttpServiceRuntime runtime) {
    endpoint = null;
  }

  /** @return the API's base URL ({@code http://127.0.0.1:8181/api/}), or null while no server runs */
  public String api() {
    Object e = endpoint;
    String first = e instanceof String[] a && a.length > 0 ? a[0] : e instanceof java.util.Collection<?> c
        && !c.isEmpty() ? String.valueOf(c.iterator().next()) : e instanceof String s ? s : null;
    return first == null ? null : (first.endsWith("/") ? first : first + "/") + "api/";
  }
}
