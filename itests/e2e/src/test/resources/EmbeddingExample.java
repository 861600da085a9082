import io.dockevos.action.ActionService;
import io.dockevos.launcher.CommandResult;
import io.dockevos.launcher.DockevOS;
import io.dockevos.plugin.Plugin;
import io.dockevos.plugin.PluginManager;
import java.nio.file.Files;
import java.nio.file.Path;
import org.osgi.framework.BundleContext;

public class EmbeddingExample {
  public static void main(String[] args) throws Exception {
    Path home = Files.createTempDirectory("my-app");
    try (DockevOS dockevos = DockevOS.builder().home(home).build()) {
      dockevos.start();

      BundleContext context = dockevos.bundleContext();
      System.out.println("Bundles: " + context.getBundles().length);

      // Typed, with io.dockevos:io.dockevos.api on the class path: the services the shell uses.
      PluginManager plugins = dockevos.service(PluginManager.class);
      for (Plugin p : plugins.list()) {
        System.out.println("Plugin " + p.symbolicName() + " " + p.version() + ": " + p.state()
            + (p.boot() ? " (the runtime's own)" : ""));
      }
      ActionService actions = dockevos.service(ActionService.class);
      System.out.println("Actions: " + actions.actions().size());

      CommandResult lb = dockevos.execute("lb");
      System.out.println(lb.output());
    }
  }
}
