package io.dockevos.itests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.SynchronousConfigurationListener;

/**
 * Reads a file at the moment Configuration Admin updates a configuration, from a synchronous
 * listener: what a kill at that moment would leave on disk.
 */
final class FileAtUpdate implements AutoCloseable {
  private final List<String> seen = new CopyOnWriteArrayList<>();
  private final ServiceRegistration<SynchronousConfigurationListener> registration;

  FileAtUpdate(BundleContext context, String pid, Path file) {
    registration = context.registerService(SynchronousConfigurationListener.class, event -> {
      if (event.getPid().equals(pid)) {
        try {
          seen.add(Files.readString(file));
        } catch (IOException e) {
          seen.add(e.toString());
        }
      }
    }, null);
  }

  /** @return the file's text at each update of the configuration */
  List<String> seen() {
    return List.copyOf(seen);
  }

  @Override
  public void close() {
    registration.unregister();
  }
}
