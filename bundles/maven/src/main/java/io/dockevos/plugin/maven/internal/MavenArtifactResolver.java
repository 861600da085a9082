package io.dockevos.plugin.maven.internal;

import io.dockevos.plugin.PluginException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.aether.ConfigurationProperties;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RepositorySystemSession.CloseableSession;
import org.eclipse.aether.artifact.Artifact;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.internal.impl.LegacyTrackingFileManager;
import org.eclipse.aether.internal.impl.TrackingFileManager;
import org.eclipse.aether.internal.impl.filter.PrefixesRemoteRepositoryFilterSource;
import org.eclipse.aether.repository.ArtifactRepository;
import org.eclipse.aether.repository.LocalRepository;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.repository.RepositoryPolicy;
import org.eclipse.aether.resolution.ArtifactRequest;
import org.eclipse.aether.resolution.ArtifactResolutionException;
import org.eclipse.aether.resolution.ArtifactResult;
import org.eclipse.aether.spi.connector.transport.http.HttpTransporterException;
import org.eclipse.aether.supplier.RepositorySystemSupplier;
import org.eclipse.aether.transfer.AbstractTransferListener;
import org.eclipse.aether.transfer.ArtifactNotFoundException;
import org.eclipse.aether.transfer.RepositoryOfflineException;
import org.eclipse.aether.transfer.TransferEvent;
import org.eclipse.aether.util.repository.SimpleResolutionErrorPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Apache Maven Resolver, set up as Maven 3 sets it up, resolving one artifact at a time, and
 * reading POMs as Maven reads a dependency's POM. With {@link EffectivePoms}, the only class of
 * this bundle that touches resolver types; none of them leaves it.
 */
final class MavenArtifactResolver implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MavenArtifactResolver.class);
  /** A repository that does not accept a connection in this time is reported as not answering. */
  static final int CONNECT_TIMEOUT_MS = 5_000;
  /** The longest silence in the middle of a download. */
  static final int REQUEST_TIMEOUT_MS = 30_000;
  /**
   * "simple": a file in the local repository is used whichever remote it came from (Maven's {@code
   * -llr}). Maven's default ("enhanced") would refuse a jar that Maven downloaded from a repository
   * that is not configured here and go looking for it again; "local repository first" is what a
   * plugin host wants.
   */
  private static final String LOCAL_LAYOUT = "simple";

  private final RepositorySystem system;
  /** Maven's model builder, set up at the first POM read; guarded by {@code this}. */
  private EffectivePoms poms;

  MavenArtifactResolver() {
    long begin = System.nanoTime();
    this.system = new Supplier().get();
    LOG.debug("Maven Resolver set up in {} ms", (System.nanoTime() - begin) / 1_000_000);
  }

  /** Maven Resolver wired by hand, as Maven 3 wires it. */
  private static final class Supplier extends RepositorySystemSupplier {
    /**
     * What the default "legacy" setting makes, without the supplier's detour through a
     * javax.inject.Provider: resolver 2.0.17's supplier excludes javax.inject from its dependencies
     * yet needs it there, and fails with NoClassDefFoundError: javax/inject/Provider without it.
     */
    @Override
    protected TrackingFileManager createTrackingFileManager() {
      return new LegacyTrackingFileManager();
    }
  }

  @Override
  public void close() {
    system.shutdown();
  }

  /**
   * @return the artifact's file in the local repository
   * @throws PluginException naming the source and every repository tried, each with its answer
   */
  Path resolve(String source, MavenCoordinates coordinates, MavenSettings settings) throws PluginException {
    if (!settings.problems().isEmpty()) {
      throw new PluginException("Cannot resolve " + source + ": the configuration " + MavenSettings.PID
          + " (etc/" + MavenSettings.PID + ".cfg) is not valid: " + String.join("; ", settings.problems()));
    }
    Artifact artifact = new DefaultArtifact(coordinates.groupId(), coordinates.artifactId(),
        coordinates.classifier(), coordinates.type(), coordinates.version());
    try (CloseableSession session = session(settings)) {
      List<RemoteRepository> effective = system.newResolutionRepositories(session, remotes(settings));
      ArtifactResult result = system.resolveArtifact(session, new ArtifactRequest(artifact, effective, null));
      Path file = result.getArtifact().getPath();
      LOG.info("Resolved {} to {}", source, file);
      return file;
    } catch (ArtifactResolutionException e) {
      throw new PluginException(failure(source, coordinates, settings, e), e);
    } catch (RuntimeException e) {
      // A resolver that fails in itself (a local repository that cannot be created, ...).
      throw new PluginException("Cannot resolve " + source + ": " + describe(e), e);
    }
  }

  /**
   * The effective model's dependencies of a POM: parents and imported BOMs come from the local
   * repository, else from the configured remotes (not from those that the POMs name), with the
   * timeouts of {@link #resolve}; none is asked when offline is set.
   *
   * @return each dependency's version by {@code groupId:artifactId}; empty when the POM, a parent
   *     or an imported BOM cannot be read. Never throws.
   */
  EffectivePoms.Dependencies declared(Path pom, MavenSettings settings) {
    EffectivePoms reader;
    synchronized (this) {
      if (poms == null) {
        poms = new EffectivePoms();
      }
      reader = poms;
    }
    try (CloseableSession session = session(settings)) {
      return reader.declared(pom, system, session, system.newResolutionRepositories(session, remotes(settings)));
    } catch (RuntimeException e) {
      LOG.info("Cannot read the POM {}: {}", pom, describe(e));
      return EffectivePoms.Dependencies.NONE;
    }
  }

  /**
   * Downloads an artifact's jar and POM from the remotes into the local repository, unless it is
   * there already or the settings say offline.
   *
   * @return whether it was downloaded now
   */
  boolean fetch(String groupId, String artifactId, String version, MavenSettings settings) {
    if (settings.offline() || settings.remotes().isEmpty() || !settings.problems().isEmpty()) {
      return false;
    }
    Path local = settings.localRepository().resolve(groupId.replace('.', '/')).resolve(artifactId).resolve(version)
        .resolve(artifactId + "-" + version + ".jar");
    if (Files.isRegularFile(local)) {
      return false;
    }
    try (CloseableSession session = session(settings)) {
      List<RemoteRepository> effective = system.newResolutionRepositories(session, remotes(settings));
      List<ArtifactRequest> requests = List.of(
          new ArtifactRequest(new DefaultArtifact(groupId, artifactId, "", "pom", version), effective, null),
          new ArtifactRequest(new DefaultArtifact(groupId, artifactId, "", "jar", version), effective, null));
      system.resolveArtifacts(session, requests);
      LOG.info("Fetched {}:{}:{} from the remote repositories, as a POM declares it", groupId, artifactId, version);
      return true;
    } catch (org.eclipse.aether.resolution.ArtifactResolutionException e) {
      LOG.info("Cannot fetch {}:{}:{}: {}", groupId, artifactId, version, e.getMessage());
      return false;
    } catch (RuntimeException e) {
      LOG.info("Cannot fetch {}:{}:{}: {}", groupId, artifactId, version, describe(e));
      return false;
    }
  }

  /** The valid remotes of the settings (an invalid entry is left out and named in the problems). */
  private static List<RemoteRepository> remotes(MavenSettings settings) {
    List<RemoteRepository> remotes = new ArrayList<>();
    for (MavenSettings.Remote r : settings.remotes()) {
      // Look for newer snapshots daily (Maven's default); a wrong or missing checksum fails the download
      // (Maven's -C), rather than a warning in the log: what is installed must be what was published.
      RepositoryPolicy policy = new RepositoryPolicy(true, RepositoryPolicy.UPDATE_POLICY_DAILY,
          RepositoryPolicy.CHECKSUM_POLICY_FAIL);
      remotes.add(new RemoteRepository.Builder(r.id(), "default", r.url()).setPolicy(policy).build());
    }
    return remotes;
  }

  private CloseableSession session(MavenSettings settings) {
    return system.createSessionBuilder()
        .withLocalRepositories(new LocalRepository(settings.localRepository(), LOCAL_LAYOUT))
        .setOffline(settings.offline())
        // Each install asks again: a missing artifact is not remembered as missing for a day.
        .setResolutionErrorPolicy(new SimpleResolutionErrorPolicy(false, false))
        .setConfigProperty(ConfigurationProperties.CONNECT_TIMEOUT, CONNECT_TIMEOUT_MS)
        .setConfigProperty(ConfigurationProperties.REQUEST_TIMEOUT, REQUEST_TIMEOUT_MS)
        // One retry, and never a wait of minutes for a busy server (HTTP 429, 503).
        .setConfigProperty(ConfigurationProperties.HTTP_RETRY_HANDLER_COUNT, 1)
        .setConfigProperty(ConfigurationProperties.HTTP_RETRY_HANDLER_INTERVAL_MAX, 10_000L)
        .setConfigProperty(ConfigurationProperties.USER_AGENT, "dockevOS")
        // Resolver 2 asks every remote for .meta/prefixes.txt before it looks anywhere, even for a
        // jar that is in the local repository, so a remote that does not answer would hold up every
        // install for the connect timeout. Repository managers publish that file; plain servers do not.
        .setConfigProperty(PrefixesRemoteRepositoryFilterSource.CONFIG_PROP_ENABLED, false)
        .setTransferListener(new AbstractTransferListener() {
          @Override
          public void transferSucceeded(TransferEvent event) {
            LOG.info("Downloaded {}{}", event.getResource().getRepositoryUrl(), event.getResource().getResourceName());
          }
        })
        .build();
  }

  /** The message of a failed resolution: the coordinates, then each repository and its answer. */
  private String failure(String source, MavenCoordinates coordinates, MavenSettings settings,
      ArtifactResolutionException e) {
    ArtifactResult result = e.getResult();
    StringBuilder m = new StringBuilder("Cannot resolve ").append(source).append(": ")
        .append(coordinates.gav()).append(" is in none of the repositories tried:");
    m.append("\n  - local repository ").append(settings.localRepository()).append(": ");
    Exception local = result == null ? null : localFailure(result);
    m.append(local == null ? "not there" : describe(local));
    if (settings.remotes().isEmpty()) {
      m.append("\n  - no remote repository is configured (repositories in etc/").append(MavenSettings.PID)
          .append(".cfg)");
    }
    for (MavenSettings.Remote r : settings.remotes()) {
      m.append("\n  - remote ").append(r).append(": ").append(remoteAnswer(result, r, settings.offline()));
    }
    return m.toString();
  }

  private static Exception localFailure(ArtifactResult result) {
    for (Map.Entry<ArtifactRepository, List<Exception>> e : result.getMappedExceptions().entrySet()) {
      if (e.getKey() instanceof LocalRepository && !e.getValue().isEmpty()) {
        return e.getValue().get(0);
      }
    }
    return null;
  }

  private static String remoteAnswer(ArtifactResult result, MavenSettings.Remote remote, boolean offline) {
    List<Exception> exceptions = List.of();
    if (result != null) {
      for (Map.Entry<ArtifactRepository, List<Exception>> e : result.getMappedExceptions().entrySet()) {
        if (remote.id().equals(e.getKey().getId())) {
          exceptions = e.getValue();
        }
      }
    }
    if (exceptions.isEmpty()) {
      return offline ? "not tried, offline is set" : "not tried";
    }
    List<String> answers = new ArrayList<>();
    for (Exception e : exceptions) {
      String a = describe(e);
      if (!answers.contains(a)) {
        answers.add(a);
      }
    }
    return String.join("; ", answers);
  }

  /** One exception of the resolver, in plain words: its deepest cause that says something. */
  static String describe(Throwable e) {
    Throwable root = e;
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof RepositoryOfflineException) {
        return "not tried, offline is set";
      }
      root = t;
    }
    if (root instanceof ConnectException || root instanceof NoRouteToHostException) {
      String msg = root.getMessage() == null ? "" : root.getMessage().toLowerCase();
      return msg.contains("timed out") ? "no answer within " + CONNECT_TIMEOUT_MS / 1000 + " s"
          : msg.contains("refused") ? "the connection was refused" : "cannot connect: " + root.getMessage();
    }
    if (root instanceof SocketTimeoutException || root instanceof InterruptedIOException) {
      return "no answer within " + (root.getMessage() != null && root.getMessage().contains("connect")
          ? CONNECT_TIMEOUT_MS / 1000 : REQUEST_TIMEOUT_MS / 1000) + " s";
    }
    if (root instanceof HttpTransporterException http) {
      return "the server answered HTTP " + http.getStatusCode();
    }
    if (root instanceof UnknownHostException) {
      return "unknown host " + root.getMessage();
    }
    if (e instanceof ArtifactNotFoundException && root == e) {
      return "not found";
    }
    String msg = root.getMessage();
    return msg == null || msg.isBlank() ? root.getClass().getName() : msg;
  }
}
