import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * Writes N new versions of a plugin jar, as N builds would: {@code java Versions.java IN OUT_DIR N}
 * writes OUT_DIR/v1.jar ... vN.jar, each the same classes under Bundle-Version MAJOR.MINOR.(MICRO+i),
 * unsigned (a local build's jar).
 */
public class Versions {
  public static void main(String[] args) throws Exception {
    Path in = Path.of(args[0]);
    Path out = Files.createDirectories(Path.of(args[1]));
    int n = Integer.parseInt(args[2]);
    try (JarFile jar = new JarFile(in.toFile())) {
      String[] v = jar.getManifest().getMainAttributes().getValue("Bundle-Version").split("\\.");
      for (int i = 1; i <= n; i++) {
        Manifest mf = new Manifest(jar.getManifest());
        mf.getEntries().clear();
        String version = v[0] + "." + v[1] + "." + (Integer.parseInt(v[2]) + i);
        mf.getMainAttributes().put(new Attributes.Name("Bundle-Version"), version);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream o = new JarOutputStream(bytes, mf)) {
          for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements();) {
            JarEntry entry = e.nextElement();
            if (entry.getName().equals("META-INF/MANIFEST.MF") || entry.getName().matches("META-INF/[^/]+\\.(SF|EC|RSA|DSA)")) {
              continue;
            }
            o.putNextEntry(new JarEntry(entry.getName()));
            try (InputStream is = jar.getInputStream(entry)) {
              is.transferTo(o);
            }
            o.closeEntry();
          }
        }
        Files.write(out.resolve("v" + i + ".jar"), bytes.toByteArray());
        System.out.println(version);
      }
    }
  }
}
