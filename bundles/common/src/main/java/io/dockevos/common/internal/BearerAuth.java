package io.dockevos.common.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The bearer tokens of the HTTP surface as every servlet context reads them (the REST API's, the
 * MCP endpoint's): the secret of an {@code Authorization} header, the words of a refusal, and an
 * RFC 9457 problem, so that each says it the same.
 */
public final class BearerAuth {
  private BearerAuth() {}

  /** @return the secret of {@code Authorization: Bearer SECRET}, or null */
  public static String secret(String header) {
    return header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
  }

  /**
   * @param secret what the request carried, or null
   * @param what what needs the token, as a sentence begins: {@code This request}
   * @return why a request without a known token is refused (401)
   */
  public static String unauthorized(String secret, String what) {
    return secret == null
        ? what + " needs a token: send the header Authorization: Bearer TOKEN (make one with bin/dockevos token create"
            + " --name NAME)"
        : "The token is not known (revoked, or mistyped): token:list shows the tokens there are";
  }

  /** @return an RFC 9457 problem's fields, in order */
  public static Map<String, Object> problem(int status, String title, String detail) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("type", "about:blank");
    p.put("title", title);
    p.put("status", status);
    p.put("detail", detail);
    return p;
  }
}
