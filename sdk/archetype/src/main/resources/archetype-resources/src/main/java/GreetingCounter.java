package ${package};

import io.dockevos.plugin.StatefulPlugin;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.osgi.service.component.annotations.Component;

/**
 * How many greetings the plugin made: its state, carried across {@code plugin:update} by
 * {@link StatefulPlugin}. The runtime calls {@link #saveState()} on the old version and
 * {@link #restoreState} on the new one; state version 1 is the count as decimal text.
 */
@Component(service = {GreetingCounter.class, StatefulPlugin.class}, immediate = true)
public final class GreetingCounter implements StatefulPlugin {
  private final AtomicLong count = new AtomicLong();

  long increment() {
    return count.incrementAndGet();
  }

  long count() {
    return count.get();
  }

  @Override
  public int stateVersion() {
    return 1;
  }

  @Override
  public byte[] saveState() {
    return Long.toString(count.get()).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void restoreState(int stateVersion, byte[] state) {
    if (stateVersion != 1) {
      throw new IllegalArgumentException("unknown state version " + stateVersion);
    }
    count.set(Long.parseLong(new String(state, StandardCharsets.UTF_8).trim()));
  }
}
