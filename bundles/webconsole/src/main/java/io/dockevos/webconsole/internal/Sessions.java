package io.dockevos.webconsole.internal;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.service.component.annotations.Component;

/**
 * The Web Console's logins: a random session id in a cookie ({@value #COOKIE}: HttpOnly, SameSite=Strict,
 * path /: the server's other contexts ignore it), kept in memory, so a restart logs everyone out. Each session has its CSRF
 * token, which every dockevOS form carries and every POST must send back ({@value #CSRF_FIELD}, or the
 * header {@value #CSRF_HEADER}), and a message for the next page (after a POST, its redirect). A session
 * ends after {@link #IDLE} without a request, at logout, and when the password changes.
 */
@Component(service = Sessions.class)
public final class Sessions {
  static final String COOKIE = "dockevos-console";
  static final String CSRF_FIELD = "csrf";
  static final String CSRF_HEADER = "X-CSRF-Token";
  static final Duration IDLE = Duration.ofMinutes(30);
  private static final int MAX = 1000;

  /** One login: who, since when, its CSRF token, and the message the next page shows. */
  static final class Session {
    final String id;
    final String user;
    final String csrf;
    final long generation;
    volatile Instant lastUsed;
    volatile String message;
    volatile boolean failed;
    /** What a tab keeps between pages: an upload waiting to be confirmed. */
    final Map<String, Object> data = new ConcurrentHashMap<>();

    Session(String id, String user, String csrf, long generation, Instant now) {
      this.id = id;
      this.user = user;
      this.csrf = csrf;
      this.generation = generation;
      this.lastUsed = now;
    }

    /** @return the message for this page, once */
    String takeMessage() {
      String m = message;
      message = null;
      return m;
    }

    /** Keeps a message for the next page; {@code failed} shows it as an error. */
    void tell(String text, boolean isError) {
      message = text;
      failed = isError;
    }
  }

  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  private final SecureRandom random = new SecureRandom();
  private final Clock clock;

  public Sessions() {
    this(Clock.systemUTC());
  }

  Sessions(Clock clock) {
    this.clock = clock;
  }

  /** Opens a session for {@code user} and sets its cookie on the response. */
  Session open(String user, long generation, HttpServletRequest req, HttpServletResponse resp) {
    expire();
    if (sessions.size() >= MAX) {
      // The oldest goes: logins cannot fill the memory.
      sessions.values().stream().min(java.util.Comparator.comparing(s -> s.lastUsed))
          .ifPresent(s -> sessions.remove(s.id));
    }
    Session s = new Session(randomText(), user, randomText(), generation, clock.instant());
    sessions.put(s.id, s);
    resp.addHeader("Set-Cookie", COOKIE + "=" + s.id + "; Path=/; HttpOnly; SameSite=Strict"
        + (req.isSecure() ? "; Secure" : ""));
    return s;
  }

  /** @return the session of the request's cookie, if it is open, not idle too long, and of this password */
  Optional<Session> find(HttpServletRequest req, long generation) {
    String id = cookie(req);
    if (id == null) {
      return Optional.empty();
    }
    Session s = sessions.get(id);
    Instant now = clock.instant();
    if (s == null) {
      return Optional.empty();
    }
    if (s.generation != generation || s.lastUsed.plus(IDLE).isBefore(now)) {
      sessions.remove(id);
      return Optional.empty();
    }
    s.lastUsed = now;
    return Optional.of(s);
  }

  /** Ends the request's session and clears its cookie. */
  void close(HttpServletRequest req, HttpServletResponse resp) {
    String id = cookie(req);
    if (id != null) {
      sessions.remove(id);
    }
    resp.addHeader("Set-Cookie", COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");
  }

  /** Ends every session (the password changed). */
  void closeAll() {
    sessions.clear();
  }

  int size() {
    return sessions.size();
  }

  /** @return whether {@code sent} is the session's CSRF token, compared in constant time */
  static boolean csrfMatches(Session s, String sent) {
    return s != null && sent != null && MessageDigest.isEqual(s.csrf.getBytes(StandardCharsets.UTF_8),
        sent.getBytes(StandardCharsets.UTF_8));
  }

  private void expire() {
    Instant limit = clock.instant().minus(IDLE);
    for (Iterator<Session> it = sessions.values().iterator(); it.hasNext();) {
      if (it.next().lastUsed.isBefore(limit)) {
        it.remove();
      }
    }
  }

  private String randomText() {
    byte[] b = new byte[32];
    random.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  private static String cookie(HttpServletRequest req) {
    Cookie[] cookies = req.getCookies();
    if (cookies == null) {
      return null;
    }
    for (Cookie c : cookies) {
      if (COOKIE.equals(c.getName())) {
        return c.getValue();
      }
    }
    return null;
  }
}
