import io.dockevos.launcher.CommandResult;
import io.dockevos.launcher.DockevOS;
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

      CommandResult lb = dockevos.execute("lb");
      System.out.println(lb.output());
    }
  }
}
