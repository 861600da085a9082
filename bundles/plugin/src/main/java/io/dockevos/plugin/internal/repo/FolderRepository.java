package io.dockevos.plugin.internal.repo;

import aQute.bnd.osgi.Domain;
import aQute.bnd.osgi.repository.XMLResourceGenerator;
import aQute.bnd.osgi.repository.XMLResourceParser;
import aQute.bnd.osgi.resource.CapReqBuilder;
import aQute.bnd.osgi.resource.ResourceBuilder;
import io.dockevos.common.internal.AtomicFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.osgi.framework.Constants;
import org.osgi.resource.Capability;
import org.osgi.resource.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bundles of a folder of jars in the Maven layout ({@code system/}, the local Maven repository).
 * What was read is kept on disk as an R5 index ({@code NAME.xml}) plus a stamp file ({@code
 * NAME.stamps}: size and modification time of every jar seen, bundle or not), so a later start reads
 * only the jars that are new or changed since, instead of opening thousands of jars again.
 */
final class FolderRepository {
  private static final Logger LOG = LoggerFactory.getLogger(FolderRepository.class);
  /** The first line of a stamp file; a different one (an older format) means: read everything again. */
  private static final String STAMPS_HEADER = "dockevos-repo-stamps 1";
  static final String BUNDLE_MIME = "application/vnd.osgi.bundle";

  /**
   * A jar seen: its size and time, and its resource, {@code null} when it is not a bundle (no
   * Bundle-SymbolicName, or a manifest that cannot be read).
   */
  record Entry(long size, long modified, Resource resource) {}

  private final String name;
  private final Path root;
  private final Path index;
  private final Path stamps;
  private Map<Path, Entry> entries = Map.of();
  private List<Resource> resources = List.of();
  private final AtomicInteger reads = new AtomicInteger();
  private boolean loaded;

  /** @param stateDir where its index and stamps are kept; {@code null} to keep them in memory only */
  FolderRepository(String name, Path root, Path stateDir) {
    this.name = name;
    this.root = root == null ? null : root.toAbsolutePath().normalize();
    this.index = stateDir == null ? null : stateDir.resolve(name + ".xml");
    this.stamps = stateDir == null ? null : stateDir.resolve(name + ".stamps");
  }

  String name() {
    return name;
  }

  Path root() {
    return root;
  }

  /** @return the bundles found at the last {@link #refresh()} */
  synchronized List<Resource> resources() {
    return resources;
  }

  /** @return how many jar manifests were read, for tests: an unchanged jar is not read again */
  int reads() {
    return reads.get();
  }

  /**
   * Looks at every jar's size and time, and reads only those that are new or changed since the last
   * look (or, at the first call, since the index on disk was written).
   *
   * @return whether anything changed
   */
  synchronized boolean refresh() {
    if (!loaded) {
      loaded = true;
      entries = load();
      resources = bundles(entries);
    }
    Map<Path, BasicFileAttributes> seen = walk();
    boolean changed = seen.size() != entries.size();
    Map<Path, Entry> next = new HashMap<>(seen.size() * 2);
    for (Map.Entry<Path, BasicFileAttributes> e : seen.entrySet()) {
      if (Thread.currentThread().isInterrupted()) {
        return false; // the bundle stops: what was read is dropped, the index on disk stays as it was
      }
      long size = e.getValue().size();
      long modified = e.getValue().lastModifiedTime().toMillis();
      Entry old = entries.get(e.getKey());
      if (old != null && old.size() == size && old.modified() == modified) {
        next.put(e.getKey(), old);
      } else {
        next.put(e.getKey(), new Entry(size, modified, read(e.getKey(), size)));
        changed = true;
      }
    }
    if (!changed) {
      return false;
    }
    entries = next;
    resources = bundles(next);
    save();
    return true;
  }

  private static List<Resource> bundles(Map<Path, Entry> entries) {
    List<Path> paths = new ArrayList<>(entries.keySet());
    paths.sort(null);
    List<Resource> result = new ArrayList<>();
    for (Path p : paths) {
      Resource r = entries.get(p).resource();
      if (r != null) {
        result.add(r);
      }
    }
    return List.copyOf(result);
  }

  /** Every jar under the root that may be a bundle: not sources, javadoc or tests. */
  private Map<Path, BasicFileAttributes> walk() {
    Map<Path, BasicFileAttributes> result = new HashMap<>();
    if (root == null || !Files.isDirectory(root)) {
      return result;
    }
    try {
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
          // .cache, .locks and such of the Maven resolver
          return !dir.equals(root) && dir.getFileName().toString().startsWith(".") ? FileVisitResult.SKIP_SUBTREE
              : FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
          if (attrs.isRegularFile() && candidate(file.getFileName().toString())) {
            result.put(file, attrs);
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException exc) {
          return FileVisitResult.CONTINUE; // an unreadable folder offers nothing
        }
      });
    } catch (IOException e) {
      LOG.warn("Cannot read the repository {} at {}: {}", name, root, e.toString());
    }
    return result;
  }

  static boolean candidate(String fileName) {
    return fileName.endsWith(".jar") && !fileName.endsWith("-sources.jar") && !fileName.endsWith("-javadoc.jar")
        && !fileName.endsWith("-tests.jar") && !fileName.endsWith("-test-sources.jar") && !fileName.startsWith(".");
  }

  /**
   * The resource of a bundle, built by bnd from its manifest, with an {@code osgi.content} capability
   * that has the jar's URL and size but no SHA-256: hashing thousands of jars would make the first
   * indexing many times slower, and installing takes the file itself.
   *
   * @return {@code null} when the jar is not a bundle or cannot be read
   */
  Resource read(Path jar, long size) {
    reads.incrementAndGet();
    try (JarFile file = new JarFile(jar.toFile(), false)) {
      Manifest mf = file.getManifest();
      if (mf == null || mf.getMainAttributes().getValue(Constants.BUNDLE_SYMBOLICNAME) == null) {
        return null;
      }
      ResourceBuilder rb = new ResourceBuilder();
      if (!rb.addManifest(Domain.domain(mf))) {
        return null;
      }
      // not ResourceBuilder.addContentCapability, which asserts a SHA-256
      CapReqBuilder content = new CapReqBuilder("osgi.content");
      content.addAttribute("url", jar.toUri().toString());
      content.addAttribute("size", size);
      content.addAttribute("mime", BUNDLE_MIME);
      rb.addCapability(content);
      return rb.build();
    } catch (Exception e) {
      LOG.debug("Not a bundle: {}: {}", jar, e.toString());
      return null;
    }
  }

  /** The entries of the index on disk, when it is there and matches its stamps; none otherwise. */
  private Map<Path, Entry> load() {
    Map<Path, Entry> result = new HashMap<>();
    if (index == null || !Files.isRegularFile(stamps) || !Files.isRegularFile(index)) {
      return result;
    }
    try {
      List<String> lines = Files.readAllLines(stamps, StandardCharsets.UTF_8);
      if (lines.size() < 2 || !lines.get(0).equals(STAMPS_HEADER) || !lines.get(1).equals("root " + root)) {
        return result;
      }
      Map<Path, Resource> byPath = new HashMap<>();
      try (InputStream in = Files.newInputStream(index); XMLResourceParser parser = new XMLResourceParser(in,
          name, index.toUri())) {
        for (Resource r : parser.parse()) {
          Path p = path(r);
          if (p != null) {
            byPath.put(p, r);
          }
        }
      }
      for (String line : lines.subList(2, lines.size())) {
        String[] f = line.split("\t", 4);
        if (f.length == 4) {
          Path p = Path.of(f[3]);
          Resource r = byPath.get(p);
          if (f[2].equals("B") && r == null) {
            continue; // indexed as a bundle but missing from the index: read it again
          }
          result.put(p, new Entry(Long.parseLong(f[0]), Long.parseLong(f[1]), f[2].equals("B") ? r : null));
        }
      }
    } catch (Exception e) {
      LOG.warn("The index of {} in {} cannot be read ({}); it is built again", name, index, e.toString());
      result.clear();
    }
    return result;
  }

  /** Writes the index, then the stamps: a stamp without its resource only makes the jar be read again. */
  private void save() {
    if (index == null) {
      return;
    }
    try {
      ByteArrayOutputStream xml = new ByteArrayOutputStream();
      new XMLResourceGenerator().name(name).indent(0).resources(resources).save(xml);
      AtomicFiles.write(index, xml.toByteArray());
      StringBuilder s = new StringBuilder(STAMPS_HEADER).append('\n').append("root ").append(root).append('\n');
      for (Map.Entry<Path, Entry> e : entries.entrySet()) {
        Entry v = e.getValue();
        s.append(v.size()).append('\t').append(v.modified()).append('\t').append(v.resource() == null ? "-" : "B")
            .append('\t').append(e.getKey()).append('\n');
      }
      AtomicFiles.write(stamps, s.toString().getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      LOG.warn("Cannot write the index of {} to {}: {}", name, index, e.toString());
    }
  }

  /** @return the file of a resource's {@code osgi.content} URL, or {@code null} when it is not a file */
  static Path path(Resource r) {
    String url = url(r);
    if (url == null || !url.startsWith("file:")) {
      return null;
    }
    try {
      return Path.of(URI.create(url));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** @return the {@code url} of a resource's first {@code osgi.content} capability, or {@code null} */
  static String url(Resource r) {
    for (Capability c : r.getCapabilities("osgi.content")) {
      Object url = c.getAttributes().get("url");
      if (url != null) {
        return url.toString();
      }
    }
    return null;
  }
}
