package io.dockevos.bench.jmh.bridge.plugin;

import org.osgi.service.event.Event;
import org.osgi.service.event.EventHandler;

/** A handler that counts, of a package that Event Admin times: it stands for a plugin's handler. */
public final class PluginHandler implements EventHandler {
  private long count;

  @Override
  public void handleEvent(Event event) {
    count++;
  }

  public long count() {
    return count;
  }
}
