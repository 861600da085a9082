package io.dockevos.docker.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.github.dockerjava.api.model.Image;
import com.github.dockerjava.transport.DockerHttpClient;
import io.dockevos.docker.DockerException;
import io.dockevos.docker.ImageInfo;
import io.dockevos.docker.PullListener;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's images: list, load (docker-archive), import (a rootfs tar), remove and pull, through
 * the engine's requests ({@link DockerEngineImpl#call}), so that their failures read like the rest.
 */
final class Images {
  private static final Logger LOG = LoggerFactory.getLogger(DockerEngineImpl.class);
  private static final ObjectMapper JSON = DockerEngineImpl.JSON;
  private final DockerEngineImpl engine;

  Images(DockerEngineImpl engine) {
    this.engine = engine;
  }

  List<ImageInfo> list() {
    engine.requireUp();
    List<Image> images = engine.call("list the images", null, null, () -> engine.client().listImagesCmd().exec());
    List<ImageInfo> out = new ArrayList<>();
    for (Image i : images) {
      out.add(new ImageInfo(i.getId(), i.getRepoTags() == null ? List.of() : List.of(i.getRepoTags()),
          i.getSize() == null ? 0 : i.getSize(), i.getCreated() == null ? Instant.EPOCH : Instant.ofEpochSecond(i.getCreated())));
    }
    return out;
  }

  List<String> load(Path archive) {
    engine.requireUp();
    List<String> tags = archiveTags(archive);
    engine.call("load " + archive, null, null, () -> {
      try (InputStream in = Files.newInputStream(archive)) {
        engine.client().loadImageCmd(in).exec();
        return null;
      } catch (IOException e) {
        throw new DockerException("Cannot read " + archive + ": " + e.getMessage(), e);
      }
    });
    return tags;
  }

  /** The image names in a docker-archive's {@code manifest.json}; fails when it is not one. */
  static List<String> archiveTags(Path archive) {
    if (!Files.isRegularFile(archive)) {
      throw new DockerException("No such file: " + archive);
    }
    try (TarArchiveInputStream tar = new TarArchiveInputStream(Files.newInputStream(archive))) {
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        if (e.getName().equals("manifest.json") || e.getName().equals("./manifest.json")) {
          List<String> tags = new ArrayList<>();
          for (var m : JSON.readTree(tar.readAllBytes())) {
            m.path("RepoTags").forEach(t -> tags.add(t.asText()));
          }
          return tags;
        }
      }
    } catch (IOException | IllegalArgumentException e) {
      throw new DockerException(archive + " is not a docker-archive (a tar from docker save): " + e.getMessage(), e);
    }
    throw new DockerException(archive + " is not a docker-archive (a tar from docker save): it has no manifest.json");
  }

  String importImage(Path rootfsTar, String repoTag, List<String> command) {
    engine.requireUp();
    if (!Files.isRegularFile(rootfsTar)) {
      throw new DockerException("No such file: " + rootfsTar);
    }
    if (!repoTag.matches("[a-z0-9][a-z0-9._/-]*(:[A-Za-z0-9_.-]+)?")) {
      throw new DockerException("'" + repoTag + "' is not an image name (repo[:tag], lower case)");
    }
    String name = repoTag.contains(":") ? repoTag : repoTag + ":latest";
    // docker-java 3.7.1's createImageCmd(repo, InputStream) sends a request that the engine refuses
    // (docker-java issue 2377): the import goes as a raw request over the same transport. The tag
    // must be inside repo=.
    StringBuilder path = new StringBuilder("/images/create?fromSrc=-&repo=").append(enc(name));
    if (!command.isEmpty()) {
      path.append("&changes=").append(enc("CMD " + toJsonArray(command)));
    }
    String answer = engine.call("import " + rootfsTar, null, null, () -> {
      DockerHttpClient.Request request = DockerHttpClient.Request.builder().method(DockerHttpClient.Request.Method.POST)
          .path(path.toString()).putHeader("Content-Type", "application/x-tar").body(open(rootfsTar)).build();
      try (DockerHttpClient.Response r = engine.http().execute(request)) {
        String body = new String(r.getBody().readAllBytes(), StandardCharsets.UTF_8);
        if (r.getStatusCode() / 100 != 2 || body.contains("\"error\"")) {
          throw new DockerException("Cannot import " + rootfsTar + " as " + name + ": " + engineError(body, r.getStatusCode()));
        }
        return body;
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    LOG.debug("import answer: {}", answer);
    return engine.call("inspect " + name, "image", name, () -> engine.client().inspectImageCmd(name).exec().getId());
  }

  private static InputStream open(Path p) {
    try {
      return Files.newInputStream(p);
    } catch (IOException e) {
      throw new DockerException("Cannot read " + p + ": " + e.getMessage(), e);
    }
  }

  private static String engineError(String body, int status) {
    try {
      for (String line : body.split("\n")) {
        var n = JSON.readTree(line);
        if (n.has("error")) {
          return n.get("error").asText();
        }
        if (n.has("message")) {
          return n.get("message").asText();
        }
      }
    } catch (IOException | RuntimeException e) {
      // not JSON: quote it
    }
    return "HTTP " + status + " " + body.strip();
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String toJsonArray(List<String> items) {
    try {
      return JSON.copy().disable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(items);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  void remove(String image, boolean force) {
    engine.requireUp();
    engine.call("remove the image " + image, "image", image, () -> engine.client().removeImageCmd(image).withForce(force).exec());
  }

  void pull(String image, PullListener listener) {
    engine.requireUp();
    String name = image.trim();
    int slash = name.lastIndexOf('/');
    int colon = name.lastIndexOf(':');
    String repo = colon > slash ? name.substring(0, colon) : name;
    String tag = colon > slash ? name.substring(colon + 1) : "latest";
    if (repo.isEmpty() || name.contains("@") && colon < slash) {
      throw new DockerException("'" + image + "' is not an image name (repo[:tag])");
    }
    // A raw request over the same transport: the error line that the engine sends when the
    // registry cannot be reached must reach the user as it is.
    DockerHttpClient.Request request = DockerHttpClient.Request.builder().method(DockerHttpClient.Request.Method.POST)
        .path("/images/create?fromImage=" + enc(repo) + "&tag=" + enc(tag)).build();
    engine.call("pull " + image, null, null, () -> {
      try (DockerHttpClient.Response r = engine.http().execute(request);
          java.io.BufferedReader in = new java.io.BufferedReader(
              new java.io.InputStreamReader(r.getBody(), StandardCharsets.UTF_8))) {
        if (r.getStatusCode() / 100 != 2) {
          throw new DockerException("Cannot pull " + image + ": " + engineError(new String(in.lines()
              .collect(java.util.stream.Collectors.joining("\n"))), r.getStatusCode()));
        }
        String line;
        while ((line = in.readLine()) != null) {
          if (Thread.currentThread().isInterrupted()) {
            throw new DockerException("The pull of " + image + " was interrupted");
          }
          if (line.isBlank()) {
            continue;
          }
          var n = JSON.readTree(line);
          if (n.hasNonNull("error") || n.path("errorDetail").hasNonNull("message")) {
            String m = n.path("errorDetail").hasNonNull("message") ? n.path("errorDetail").path("message").asText()
                : n.path("error").asText();
            throw new DockerException("Cannot pull " + image + ": the registry did not give it: " + m);
          }
          var d = n.path("progressDetail");
          listener.progress(n.path("id").asText(""), n.path("status").asText(n.path("stream").asText("")).strip(),
              d.path("current").asLong(0), d.path("total").asLong(0));
        }
        return null;
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
  }
}
