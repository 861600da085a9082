package io.dockevos.http;

/**
 * The Event Admin topics of the HTTP surface. Each token event carries {@link #TOKEN} and {@link
 * #SCOPE}, never the secret.
 *
 * @since 0.1
 */
public final class HttpEvents {
  /** The prefix of every HTTP topic. */
  public static final String TOPIC_PREFIX = "dockevos/http/";
  /** A token was made. */
  public static final String TOKEN_CREATED = TOPIC_PREFIX + "TOKEN_CREATED";
  /** A token was revoked. */
  public static final String TOKEN_REVOKED = TOPIC_PREFIX + "TOKEN_REVOKED";
  /** A request was refused: no token, an unknown one, or one whose scope does not allow it. */
  public static final String REFUSED = TOPIC_PREFIX + "REFUSED";

  /** The token's name, a {@code String}. */
  public static final String TOKEN = "token";
  /** The token's scope, {@code read} or {@code admin}. */
  public static final String SCOPE = "scope";
  /** The request's method and path, a {@code String}; on {@link #REFUSED}. */
  public static final String REQUEST = "request";
  /** The HTTP status answered, an {@code Integer}; on {@link #REFUSED}. */
  public static final String STATUS = "status";

  private HttpEvents() {}
}
