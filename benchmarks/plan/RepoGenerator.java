import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * Writes a local Maven repository of tiny but valid OSGi bundles for the planner benchmark
 * (benchmarks/plan/run.sh), with the JDK alone.
 *
 * <p>Artifacts {@code bench.gNN:aNNNNN} are spread over {@code groups} groupIds; each has one to four
 * versions (1.0.0, 1.1.0, 1.2.0, 2.0.0: a major step breaks importers' ranges), each version a jar and
 * a POM. A bundle exports one to three packages {@code bench.gNN.aNNNNN.pK} at its own version, and
 * about two thirds import packages of zero to four artifacts generated before it (so that everything
 * resolves and there is no cycle), in the range {@code [M.m,M+1)} of a version that exists; its POM
 * declares those artifacts as dependencies, at the version picked. Each exported package holds one
 * tiny resource, so the jar's folders match its manifest. The same seed writes the same repository.
 *
 * <p>Arguments: {@code TARGET COUNT [GROUPS [SEED [COPY_FROM]]]}: COUNT is the number of artifact
 * versions (jar + pom pairs); COPY_FROM is a Maven repository layout copied in as is (the jackson
 * fixtures of itests/e2e). Prints one summary line; the jars written, by path, go to {@code
 * TARGET/.bench-index.tsv} (path, symbolic name, version, exports, imports).
 *
 * <p>{@code --check TARGET} reads every jar of a repository back, as a resolver would see it: each has
 * a symbolic name and a POM beside it, no two share a name and version, and every import is exported
 * by some jar in a version of its range. It prints what is wrong and exits 1, or one summary line.
 */
public class RepoGenerator {
  private static final String[] VERSIONS = {"1.0.0", "1.1.0", "1.2.0", "2.0.0"};
  /** A fixed time for every entry: the same inputs write the same bytes. */
  private static final long ENTRY_TIME = 1_704_067_200_000L;

  record Artifact(String group, String id, String version, List<String> exports) {
    String symbolicName() {
      return group + "." + id;
    }

    Path dir(Path root) {
      return root.resolve(group.replace('.', '/')).resolve(id).resolve(version);
    }
  }

  record Import(Artifact target, String pkg) {}

  /** An OSGi version without its qualifier, enough to check the generated ranges. */
  record V(int major, int minor, int micro) implements Comparable<V> {
    static V parse(String s) {
      String[] p = s.trim().split("\\.");
      return new V(Integer.parseInt(p[0]), p.length > 1 ? Integer.parseInt(p[1]) : 0,
          p.length > 2 ? Integer.parseInt(p[2].replaceAll("\\D.*", "")) : 0);
    }

    @Override
    public int compareTo(V o) {
      return major != o.major ? Integer.compare(major, o.major)
          : minor != o.minor ? Integer.compare(minor, o.minor) : Integer.compare(micro, o.micro);
    }

    /** @return whether {@code v} is in {@code range}: {@code [a,b)}, {@code (a,b]}, ..., or a floor {@code a} */
    static boolean inRange(V v, String range) {
      String r = range.trim();
      if (!r.startsWith("[") && !r.startsWith("(")) {
        return v.compareTo(parse(r)) >= 0;
      }
      String[] ends = r.substring(1, r.length() - 1).split(",");
      int low = v.compareTo(parse(ends[0]));
      int high = v.compareTo(parse(ends[1]));
      return (r.startsWith("[") ? low >= 0 : low > 0) && (r.endsWith("]") ? high <= 0 : high < 0);
    }

    @Override
    public String toString() {
      return major + "." + minor + "." + micro;
    }
  }

  public static void main(String[] args) throws IOException {
    if (args.length == 2 && args[0].equals("--check")) {
      System.exit(check(Path.of(args[1])) ? 0 : 1);
    }
    if (args.length < 2) {
      System.err.println("usage: RepoGenerator TARGET COUNT [GROUPS [SEED [COPY_FROM]]]");
      System.exit(2);
    }
    Path target = Path.of(args[0]).toAbsolutePath();
    int count = Integer.parseInt(args[1]);
    int groups = args.length > 2 ? Integer.parseInt(args[2]) : 50;
    long seed = args.length > 3 ? Long.parseLong(args[3]) : 11L;
    Path copyFrom = args.length > 4 && !args[4].isEmpty() ? Path.of(args[4]) : null;
    long begin = System.nanoTime();
    Random random = new Random(seed);

    // Artifact ids, each with 1-4 versions, until COUNT versions in all.
    List<List<Artifact>> families = new ArrayList<>();
    int written = 0;
    while (written < count) {
      int n = families.size();
      String group = String.format("bench.g%02d", n % groups);
      String id = String.format("a%05d", n);
      int versions = Math.min(1 + random.nextInt(4), count - written);
      int packages = 1 + random.nextInt(3);
      List<Artifact> family = new ArrayList<>();
      for (int v = 0; v < versions; v++) {
        List<String> exports = new ArrayList<>();
        for (int p = 0; p < packages; p++) {
          exports.add(group + "." + id + ".p" + p);
        }
        family.add(new Artifact(group, id, VERSIONS[v], exports));
      }
      families.add(family);
      written += versions;
    }

    StringBuilder index = new StringBuilder();
    int imports = 0;
    for (int f = 0; f < families.size(); f++) {
      // Dependencies: 0-4 earlier families for two artifacts in three; each version of this family
      // imports one package of each, in the range of one version of it.
      List<Import> deps = new ArrayList<>();
      if (f > 0 && random.nextInt(3) != 0) {
        int k = random.nextInt(5);
        for (int d = 0; d < k; d++) {
          List<Artifact> dep = families.get(random.nextInt(f));
          Artifact version = dep.get(random.nextInt(dep.size()));
          if (deps.stream().noneMatch(i -> i.target().symbolicName().equals(version.symbolicName()))) {
            deps.add(new Import(version, version.exports().get(random.nextInt(version.exports().size()))));
          }
        }
      }
      for (Artifact a : families.get(f)) {
        Path dir = Files.createDirectories(a.dir(target));
        writeJar(dir.resolve(a.id() + "-" + a.version() + ".jar"), a, deps);
        writePom(dir.resolve(a.id() + "-" + a.version() + ".pom"), a, deps);
        imports += deps.size();
        index.append(target.relativize(dir.resolve(a.id() + "-" + a.version() + ".jar"))).append('\t')
            .append(a.symbolicName()).append('\t').append(a.version()).append('\t')
            .append(String.join(",", a.exports())).append('\t')
            .append(String.join(",", deps.stream().map(i -> i.pkg() + range(i.target().version())).toList()))
            .append('\n');
      }
    }
    Files.writeString(target.resolve(".bench-index.tsv"), index);

    int copied = copyFrom == null ? 0 : copyTree(copyFrom, target);
    System.out.printf("wrote %d artifact versions (%d artifacts, %d groups, %d imports) and copied %d files into %s in %d ms%n",
        written, families.size(), Math.min(groups, families.size()), imports, copied, target,
        (System.nanoTime() - begin) / 1_000_000);
  }

  /** @return the import range of a version: {@code [1.1,2)} for 1.1.0 */
  static String range(String version) {
    String[] v = version.split("\\.");
    return ";version=\"[" + v[0] + "." + v[1] + "," + (Integer.parseInt(v[0]) + 1) + ")\"";
  }

  static void writeJar(Path jar, Artifact a, List<Import> deps) throws IOException {
    Manifest m = new Manifest();
    Attributes main = m.getMainAttributes();
    main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
    main.putValue("Bundle-ManifestVersion", "2");
    main.putValue("Bundle-SymbolicName", a.symbolicName());
    main.putValue("Bundle-Version", a.version());
    main.putValue("Bundle-Name", a.group() + ":" + a.id());
    main.putValue("Export-Package", String.join(",", a.exports().stream().map(p -> p + ";version=\"" + a.version() + "\"").toList()));
    if (!deps.isEmpty()) {
      main.putValue("Import-Package", String.join(",", deps.stream().map(i -> i.pkg() + range(i.target().version())).toList()));
    }
    main.putValue("Require-Capability", "osgi.ee;filter:=\"(&(osgi.ee=JavaSE)(version=1.8))\"");
    Path temp = jar.resolveSibling(jar.getFileName() + ".part");
    try (OutputStream out = Files.newOutputStream(temp); JarOutputStream j = new JarOutputStream(out)) {
      JarEntry me = new JarEntry("META-INF/MANIFEST.MF");
      me.setTime(ENTRY_TIME);
      j.putNextEntry(me);
      m.write(j);
      j.closeEntry();
      for (String p : a.exports()) {
        JarEntry e = new JarEntry(p.replace('.', '/') + "/package.txt");
        e.setTime(ENTRY_TIME);
        j.putNextEntry(e);
        j.write((p + " " + a.version() + "\n").getBytes(StandardCharsets.UTF_8));
        j.closeEntry();
      }
    }
    Files.move(temp, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  static void writePom(Path pom, Artifact a, List<Import> deps) throws IOException {
    StringBuilder x = new StringBuilder();
    x.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    x.append("<project xmlns=\"http://maven.apache.org/POM/4.0.0\">\n");
    x.append("  <modelVersion>4.0.0</modelVersion>\n");
    x.append("  <groupId>").append(a.group()).append("</groupId>\n");
    x.append("  <artifactId>").append(a.id()).append("</artifactId>\n");
    x.append("  <version>").append(a.version()).append("</version>\n");
    if (!deps.isEmpty()) {
      x.append("  <dependencies>\n");
      // Sorted by coordinates, so that the POM does not depend on the order the generator drew them.
      TreeMap<String, Artifact> sorted = new TreeMap<>();
      deps.forEach(i -> sorted.put(i.target().group() + ":" + i.target().id(), i.target()));
      for (Artifact d : sorted.values()) {
        x.append("    <dependency><groupId>").append(d.group()).append("</groupId><artifactId>").append(d.id())
            .append("</artifactId><version>").append(d.version()).append("</version></dependency>\n");
      }
      x.append("  </dependencies>\n");
    }
    x.append("</project>\n");
    Files.writeString(pom, x);
  }

  /** Reads the repository back: see the class comment. */
  static boolean check(Path root) throws IOException {
    List<Path> jars;
    try (Stream<Path> files = Files.walk(root)) {
      jars = files.filter(f -> f.toString().endsWith(".jar")).sorted().toList();
    }
    TreeMap<String, List<V>> exported = new TreeMap<>();
    java.util.Set<String> identities = new java.util.HashSet<>();
    List<String> problems = new ArrayList<>();
    List<String[]> imports = new ArrayList<>();
    for (Path jar : jars) {
      Attributes main;
      try (java.util.jar.JarFile j = new java.util.jar.JarFile(jar.toFile())) {
        main = j.getManifest().getMainAttributes();
      }
      String bsn = main.getValue("Bundle-SymbolicName");
      String version = main.getValue("Bundle-Version");
      if (bsn == null || version == null) {
        problems.add(jar + ": no Bundle-SymbolicName or Bundle-Version");
        continue;
      }
      if (!identities.add(bsn.split(";")[0] + " " + version)) {
        problems.add(jar + ": " + bsn + " " + version + " twice");
      }
      String name = jar.getFileName().toString();
      if (!Files.isRegularFile(jar.resolveSibling(name.substring(0, name.length() - 4) + ".pom"))) {
        problems.add(jar + ": no POM beside it");
      }
      for (String clause : clauses(main.getValue("Export-Package"))) {
        exported.computeIfAbsent(clause.split(";")[0].trim(), k -> new ArrayList<>())
            .add(V.parse(attribute(clause, "version", "0.0.0")));
      }
      for (String clause : clauses(main.getValue("Import-Package"))) {
        if (!clause.contains("resolution:=optional")) {
          imports.add(new String[] {jar.toString(), clause.split(";")[0].trim(), attribute(clause, "version", "0.0.0")});
        }
      }
    }
    int satisfied = 0;
    for (String[] i : imports) {
      String pkg = i[1];
      if (pkg.startsWith("java.") || pkg.startsWith("javax.") || pkg.startsWith("org.w3c.") || pkg.startsWith("org.xml.")) {
        satisfied++;
        continue;
      }
      List<V> offered = exported.getOrDefault(pkg, List.of());
      if (offered.stream().anyMatch(v -> V.inRange(v, i[2]))) {
        satisfied++;
      } else {
        problems.add(i[0] + ": imports " + pkg + " " + i[2] + ", which no jar exports in that range (" + offered + ")");
      }
    }
    problems.stream().limit(50).forEach(System.err::println);
    if (problems.size() > 50) {
      System.err.println("... and " + (problems.size() - 50) + " more");
    }
    System.out.printf("checked %d jars: %d imports, %d satisfied, %d problems%n", jars.size(), imports.size(), satisfied,
        problems.size());
    return problems.isEmpty();
  }

  /** Splits a manifest header at the commas outside quotes. */
  static List<String> clauses(String header) {
    List<String> out = new ArrayList<>();
    if (header == null) {
      return out;
    }
    StringBuilder b = new StringBuilder();
    boolean quoted = false;
    for (char c : header.toCharArray()) {
      if (c == '"') {
        quoted = !quoted;
      }
      if (c == ',' && !quoted) {
        out.add(b.toString().trim());
        b.setLength(0);
      } else {
        b.append(c);
      }
    }
    if (!b.isEmpty()) {
      out.add(b.toString().trim());
    }
    return out;
  }

  static String attribute(String clause, String name, String fallback) {
    for (String part : clause.split(";")) {
      String p = part.trim();
      if (p.startsWith(name + "=")) {
        return p.substring(name.length() + 1).replace("\"", "");
      }
    }
    return fallback;
  }

  /** Copies a folder tree into {@code target}, replacing files of the same path. */
  static int copyTree(Path from, Path target) throws IOException {
    int n = 0;
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        Path to = target.resolve(from.relativize(f).toString());
        Files.createDirectories(to.getParent());
        Files.copy(f, to, StandardCopyOption.REPLACE_EXISTING);
        n++;
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    return n;
  }
}
