package io.dockevos.webconsole.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SessionsTest {
  /** A request with these headers (and cookies from Cookie), and the scheme, host and port given. */
  static HttpServletRequest request(String method, String scheme, String host, int port, Map<String, String> headers) {
    return (HttpServletRequest) Proxy.newProxyInstance(SessionsTest.class.getClassLoader(),
        new Class<?>[] {HttpServletRequest.class}, (p, m, args) -> switch (m.getName()) {
          case "getMethod" -> method;
          case "getScheme" -> scheme;
          case "getServerName" -> host;
          case "getServerPort" -> port;
          case "isSecure" -> "https".equals(scheme);
          case "getHeader" -> headers.get((String) args[0]);
          case "getRequestURI" -> "/system/console/dockevos-plugins";
          case "getServletPath" -> "/system/console";
          case "getContextPath" -> "";
          case "getCookies" -> headers.containsKey("Cookie") ? new Cookie[] {new Cookie(
              headers.get("Cookie").split("=", 2)[0], headers.get("Cookie").split("=", 2)[1])} : null;
          default -> null;
        });
  }

  /** A response that keeps its Set-Cookie headers. */
  static HttpServletResponse response(List<String> cookies) {
    return (HttpServletResponse) Proxy.newProxyInstance(SessionsTest.class.getClassLoader(),
        new Class<?>[] {HttpServletResponse.class}, (p, m, args) -> {
          if (m.getName().equals("addHeader") && "Set-Cookie".equals(args[0])) {
            cookies.add((String) args[1]);
          }
          return null;
        });
  }

  private static final class MovingClock extends Clock {
    Instant now = Instant.parse("2026-12-06T10:00:00Z");

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @Test
  void aSessionIsFoundByItsCookieUntilItIsIdleTooLongOrThePasswordChanges() {
    MovingClock clock = new MovingClock();
    Sessions sessions = new Sessions(clock);
    List<String> set = new ArrayList<>();
    Sessions.Session s = sessions.open("admin", 1, request("POST", "http", "127.0.0.1", 8181, Map.of()), response(set));
    assertEquals(1, set.size());
    assertTrue(set.get(0).startsWith(Sessions.COOKIE + "=" + s.id + ";") && set.get(0).contains("HttpOnly")
        && set.get(0).contains("SameSite=Strict") && !set.get(0).contains("Secure"), set.get(0));
    Map<String, String> headers = new HashMap<>(Map.of("Cookie", Sessions.COOKIE + "=" + s.id));
    HttpServletRequest again = request("GET", "http", "127.0.0.1", 8181, headers);
    assertEquals(s, sessions.find(again, 1).orElseThrow());
    assertTrue(sessions.find(again, 2).isEmpty(), "a new password ends it");
    assertTrue(sessions.find(again, 1).isEmpty(), "and it stays ended");

    Sessions.Session t = sessions.open("admin", 1, request("POST", "http", "127.0.0.1", 8181, Map.of()), response(set));
    HttpServletRequest withT = request("GET", "http", "127.0.0.1", 8181, Map.of("Cookie", Sessions.COOKIE + "=" + t.id));
    clock.now = clock.now.plus(Sessions.IDLE.minusSeconds(1));
    assertTrue(sessions.find(withT, 1).isPresent(), "used within the idle time");
    clock.now = clock.now.plus(Sessions.IDLE.plus(Duration.ofSeconds(1)));
    assertTrue(sessions.find(withT, 1).isEmpty(), "idle too long");
    HttpServletRequest forged = request("GET", "http", "127.0.0.1", 8181, Map.of("Cookie", Sessions.COOKIE + "=x"));
    assertTrue(sessions.find(forged, 1).isEmpty());
  }

  @Test
  void eachSessionHasItsOwnCsrfTokenComparedExactly() {
    Sessions sessions = new Sessions();
    List<String> set = new ArrayList<>();
    HttpServletRequest req = request("POST", "http", "127.0.0.1", 8181, Map.of());
    Sessions.Session a = sessions.open("admin", 1, req, response(set));
    Sessions.Session b = sessions.open("admin", 1, req, response(set));
    assertTrue(a.csrf.matches("[A-Za-z0-9_-]{43}"), a.csrf);
    assertFalse(a.csrf.equals(b.csrf));
    assertTrue(Sessions.csrfMatches(a, a.csrf));
    assertFalse(Sessions.csrfMatches(a, b.csrf));
    assertFalse(Sessions.csrfMatches(a, null));
    assertFalse(Sessions.csrfMatches(a, ""));
    assertFalse(Sessions.csrfMatches(null, a.csrf));
    sessions.closeAll();
    assertEquals(0, sessions.size());
  }

  @Test
  void aPostFromAnotherSiteIsNotSameOrigin() {
    assertTrue(ConsoleSecurity.sameOrigin(request("POST", "http", "127.0.0.1", 8181,
        Map.of("Origin", "http://127.0.0.1:8181"))));
    assertTrue(ConsoleSecurity.sameOrigin(request("POST", "http", "127.0.0.1", 8181,
        Map.of("Referer", "http://127.0.0.1:8181/system/console/bundles"))), "the Referer when there is no Origin");
    assertTrue(ConsoleSecurity.sameOrigin(request("POST", "http", "127.0.0.1", 8181, Map.of())), "a client, no browser");
    assertFalse(ConsoleSecurity.sameOrigin(request("POST", "http", "127.0.0.1", 8181,
        Map.of("Origin", "http://evil.example"))));
    assertFalse(ConsoleSecurity.sameOrigin(request("POST", "http", "127.0.0.1", 8181,
        Map.of("Origin", "http://127.0.0.1:9999"))), "another port is another site");
    assertFalse(ConsoleSecurity.sameOrigin(request("POST", "http", "127.0.0.1", 8181,
        Map.of("Origin", "https://127.0.0.1:8181"))), "another scheme");
    assertFalse(ConsoleSecurity.sameOrigin(request("POST", "http", "127.0.0.1", 8181, Map.of("Origin", "null"))),
        "an opaque origin");
    assertEquals("/system/console", ConsoleSecurity.root(request("GET", "http", "127.0.0.1", 8181, Map.of())));
  }

  @Test
  void anUploadKeepsOnlyAPlainJarName() {
    assertEquals("greeter-1.0.jar", PluginsTab.safeName("greeter-1.0.jar"));
    assertEquals("greeter.jar", PluginsTab.safeName("C:\\Users\\me\\greeter.jar"), "a browser's full path");
    assertEquals("greeter.jar", PluginsTab.safeName("../../etc/greeter.jar"), "no folder survives");
    for (String bad : List.of("..", "../", "x.zip", ".jar", "a b.jar", "x.jar/", "..jar", "x\u0000.jar", "<b>.jar")) {
      IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
          () -> PluginsTab.safeName(bad), bad);
      assertTrue(e.getMessage().contains("is not a plugin's jar"), e.getMessage());
    }
  }
}
