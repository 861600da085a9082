package io.dockevos.plugin.internal.repo;

import io.dockevos.api.Host;
import io.dockevos.install.Repositories;
import io.dockevos.plugin.PluginException;
import java.nio.file.Path;
import java.util.List;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;

/**
 * The {@link Repositories} service: the {@link RepositoryIndex} of this distribution's {@code
 * system/}, of the local Maven repository ({@code maven.repo.local}, else {@code ~/.m2/repository})
 * and of the registered indexes, kept in {@code data/plugins/repo}. Nothing is read at start: the
 * index is loaded (and, the first time, built) by the first plan or search that needs it, so that a
 * start costs nothing more and a plan whose requirements are all met installed never reads it.
 */
@Component(service = Repositories.class, configurationPolicy = ConfigurationPolicy.IGNORE)
public final class RepositoryService implements Repositories {
  private final RepositoryIndex index;

  @Activate
  public RepositoryService(BundleContext context) {
    Path home = Path.of(property(context, Host.HOME_PROPERTY, ".")).toAbsolutePath();
    Path data = Path.of(property(context, Host.DATA_PROPERTY, home.resolve("data").toString()));
    this.index = new RepositoryIndex(home.resolve("system"), RepositoryIndex.defaultMavenLocal(),
        data.resolve("plugins").resolve("repo"));
    index.limits(io.dockevos.common.internal.Downloads.Limits.of(context::getProperty));
    index.share();
  }

  private static String property(BundleContext context, String key, String fallback) {
    String v = context.getProperty(key);
    return v == null ? fallback : v;
  }

  @Deactivate
  void deactivate() {
    index.unshare();
  }

  /** @return the index itself, for the planner of this bundle */
  public RepositoryIndex index() {
    return index;
  }

  @Override
  public List<RepositoryInfo> list() {
    return index.list();
  }

  @Override
  public RepositoryInfo add(String location) throws PluginException {
    return index.add(location);
  }

  /** {@code repo:add --insecure}: registers a plain http: index too. */
  public RepositoryInfo add(String location, boolean insecure) throws PluginException {
    return index.add(location, insecure);
  }

  @Override
  public RepositoryInfo remove(String ref) throws PluginException {
    return index.remove(ref);
  }

  @Override
  public List<Offer> search(String text) {
    return index.search(text);
  }

  @Override
  public List<Offer> search(String namespace, String filter) {
    return index.search(namespace, filter);
  }
}
