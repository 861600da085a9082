package io.dockevos.docker.internal;

import java.net.URI;
import java.util.Map;

/**
 * The endpoint settings of the engine, immutable and compared with {@code equals}: a changed
 * configuration reconnects only when these differ (as Eclipse Kura's container orchestration
 * provider does).
 *
 * @param host the endpoint, {@code unix:///path} or {@code tcp://host:port}
 * @param tlsVerify whether TCP uses TLS with the client certificates in {@code certPath}
 * @param certPath the folder with {@code ca.pem}, {@code cert.pem}, {@code key.pem}, or ""
 */
record DockerOptions(String host, boolean tlsVerify, String certPath) {
  static final String DEFAULT_HOST = "unix:///var/run/docker.sock";

  DockerOptions {
    host = host == null ? "" : host.trim();
    certPath = certPath == null ? "" : certPath.trim();
    if (host.isEmpty()) {
      throw new IllegalArgumentException("docker.host is empty");
    }
    URI uri;
    try {
      uri = URI.create(host);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("docker.host '" + host + "' is not a URI: " + e.getMessage());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme();
    if (!scheme.equals("unix") && !scheme.equals("tcp")) {
      throw new IllegalArgumentException("docker.host '" + host + "' is neither unix:///PATH nor tcp://HOST:PORT");
    }
    if (tlsVerify && !scheme.equals("tcp")) {
      throw new IllegalArgumentException("docker.tls.verify needs a tcp:// docker.host, not " + host);
    }
    if (tlsVerify && certPath.isEmpty()) {
      throw new IllegalArgumentException("docker.tls.verify needs docker.cert.path (the folder with ca.pem, cert.pem and key.pem)");
    }
  }

  /**
   * The options of a configuration: {@code docker.host}, else the environment's
   * {@code DOCKER_HOST}, else {@link #DEFAULT_HOST}.
   */
  static DockerOptions of(DockerEngineImpl.Config config, Map<String, String> env) {
    String host = config.docker_host();
    if (host == null || host.isBlank()) {
      host = env.getOrDefault("DOCKER_HOST", "");
    }
    if (host == null || host.isBlank()) {
      host = DEFAULT_HOST;
    }
    return new DockerOptions(host, config.docker_tls_verify(), config.docker_cert_path());
  }

  boolean unix() {
    return host.startsWith("unix:");
  }

  /** The socket's path for a {@code unix://} endpoint, else {@code null}. */
  java.nio.file.Path socket() {
    return unix() ? java.nio.file.Path.of(URI.create(host).getPath()) : null;
  }
}
