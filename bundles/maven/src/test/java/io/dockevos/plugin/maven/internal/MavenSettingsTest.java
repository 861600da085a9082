package io.dockevos.plugin.maven.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dockevos.plugin.maven.internal.MavenSettings.Remote;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MavenSettingsTest {
  private static final Path HOME = Path.of("/opt/dockevos");

  private static MavenSettings settings(String local, Map<String, String> props, String... repositories) {
    return MavenSettings.of(local, repositories, new String[] {"mirror", "b", "c"}, false, props::get, HOME);
  }

  @Test
  void theLocalRepositoryIsMavenRepoLocalElseTheUsersM2() {
    assertEquals(Path.of("/srv/m2"), settings("", Map.of("maven.repo.local", "/srv/m2", "user.home", "/home/u"))
        .localRepository());
    assertEquals(Path.of("/home/u/.m2/repository"), settings("", Map.of("user.home", "/home/u")).localRepository());
    assertEquals(Path.of("/home/u/.m2/repository"), settings(null, Map.of("user.home", "/home/u")).localRepository());
  }

  @Test
  void aConfiguredLocalRepositoryWinsAndARelativeOneIsReadFromTheHome() {
    Map<String, String> props = Map.of("maven.repo.local", "/srv/m2", "user.home", "/home/u");
    assertEquals(Path.of("/data/repo"), settings("/data/repo", props).localRepository());
    assertEquals(Path.of("/opt/dockevos/repo"), settings("repo", props).localRepository());
    assertEquals(Path.of("/home/u/repo"), settings("~/repo", props).localRepository());
  }

  @Test
  void remotesAreIdEqualsUrlInTheirOrder() {
    MavenSettings s = settings("", Map.of("user.home", "/home/u"),
        " releases=https://maven.example.org/releases , mirror=http://127.0.0.1:8081/repo", "local=file:///srv/repo");
    assertEquals(List.of(new Remote("releases", "https://maven.example.org/releases"),
        new Remote("mirror", "http://127.0.0.1:8081/repo"), new Remote("local", "file:///srv/repo")), s.remotes());
    assertEquals(List.of(), s.problems());
    assertEquals("releases (https://maven.example.org/releases)", s.remotes().get(0).toString());
  }

  @Test
  void thereIsNoRemoteByDefault() {
    MavenSettings s = MavenSettings.of("", new String[0], new String[0], false, Map.of("user.home", "/home/u")::get,
        HOME);
    assertEquals(List.of(), s.remotes());
    assertEquals(List.of(), s.problems());
    assertFalse(s.offline());
    assertEquals(List.of(), settings("", Map.of("user.home", "/h"), "", " , ").remotes());
  }

  @Test
  void badEntriesAreNamed() {
    MavenSettings s = settings("", Map.of("user.home", "/h"), "https://maven.example.org/releases,"
        + "a=ftp://host/r,b=http://,c=http://host/r,c=http://other/r,=http://host/x");
    assertEquals(List.of(new Remote("c", "http://host/r")), s.remotes());
    List<String> p = s.problems();
    assertEquals(5, p.size(), p::toString);
    assertTrue(p.get(0).equals("the repositories entry 'https://maven.example.org/releases' is not id=url "
        + "(for example releases=https://maven.example.org/releases)"), p.get(0));
    assertEquals("the URL of repository a, 'ftp://host/r', is not an http:, https: or file: URL", p.get(1));
    assertTrue(p.get(2).startsWith("the URL of repository b, 'http://', "), p.get(2));
    assertEquals("the repository id c is listed twice", p.get(3));
    assertTrue(p.get(4).startsWith("the repositories entry '=http://host/x' is not id=url"), p.get(4));
  }

  @Test
  void aPlainHttpRemoteIsAProblemUnlessItsIdIsListedAsInsecure() {
    MavenSettings s = MavenSettings.of("", new String[] {"corp=http://maven.corp/releases, ok=https://maven.corp/ok"},
        new String[0], false, Map.of("user.home", "/h")::get, HOME);
    assertEquals(List.of(new Remote("ok", "https://maven.corp/ok")), s.remotes());
    assertEquals(List.of("the URL of repository corp, 'http://maven.corp/releases', is http: and " + "http: is not"
        + " secure: anyone on the way can read and change what the server sends; use https:, or accept it with"
        + " insecure = corp"), s.problems());

    MavenSettings accepted = MavenSettings.of("", new String[] {"corp=http://maven.corp/releases"},
        new String[] {" corp "}, false, Map.of("user.home", "/h")::get, HOME);
    assertEquals(List.of(new Remote("corp", "http://maven.corp/releases")), accepted.remotes());
    assertEquals(List.of(), accepted.problems());
  }
}
