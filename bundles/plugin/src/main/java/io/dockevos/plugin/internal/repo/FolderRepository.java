package io.dockevos.plugin.internal.repo;

import aQute.bnd.osgi.Domain;
import aQute.bnd.osgi.resource.CapReqBuilder;
import aQute.bnd.osgi.resource.ResourceBuilder;
import java.io.IOException;
import java.net.URI;
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
 * What was read is kept on disk ({@code NAME.idx}, see {@link IndexCache}: size and modification time
 * of every jar seen, bundle or not, and the capabilities and requirements of the bundles), so a later
 * start reads only the jars that are new or changed since, instead of opening thousands of jars again.
 */
final class FolderRepository {
  private static final Logger LOG = LoggerFactory.getLogger(FolderRepository.class);
  static final String BUNDLE_MIME = "application/vnd.osgi.bundle";

  /**
   * A jar seen: its size and time, and its resource, {@code null} when it is not a bundle (no
   * Bundle-SymbolicName, or a manifest that cannot be read).
   */
  record Entry(long size, long modified, Resource resource) {}

  private final String name;
  private final Path root;
  private final Path index;
  private Map<Path, Entry> entries = Map.of();
  /** The modification time of every folder walked: a folder whose time did not change is not listed again. */
  private Map<Path, Long> dirs = new HashMap<>();
  private List<Resource> resources = List.of();
  private final AtomicInteger reads = new AtomicInteger();
  private boolean loaded;

  /** @param stateDir where its index and stamps are kept; {@code null} to keep them in memory only */
  FolderRepository(String name, Path root, Path stateDir) {
    this.name = name;
    this.root = root == null ? null : root.toAbsolutePath().normalize();
    this.index = stateDir == null ? null : stateDir.resolve(name + ".idx");
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
      IndexCache.Loaded l = load();
      entries = l.entries();
      dirs = l.dirs();
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

  /**
   * Every jar under the root that may be a bundle: not sources, javadoc or tests. A folder whose
   * modification time is the one recorded is not listed again (a file added, removed or renamed into
   * it changes that time, and Maven writes every file by a rename): only its known jars are looked
   * at, one {@code stat} each, so that a jar rewritten in place is seen too. New folders are walked.
   */
  private Map<Path, BasicFileAttributes> walk() {
    Map<Path, BasicFileAttributes> result = new HashMap<>();
    if (root == null || !Files.isDirectory(root)) {
      dirs = new HashMap<>();
      return result;
    }
    if (dirs.isEmpty()) {
      Map<Path, Long> next = new HashMap<>();
      walk(root, result, next);
      dirs = next;
      return result;
    }
    Map<Path, List<Path>> jarsByDir = new HashMap<>();
    for (Path jar : entries.keySet()) {
      jarsByDir.computeIfAbsent(jar.getParent(), k -> new ArrayList<>(1)).add(jar);
    }
    Map<Path, Long> next = new HashMap<>(dirs.size() * 2);
    for (Map.Entry<Path, Long> d : dirs.entrySet()) {
      Path dir = d.getKey();
      if (next.containsKey(dir)) {
        continue; // walked already, as part of a new folder
      }
      BasicFileAttributes attrs;
      try {
        attrs = Files.readAttributes(dir, BasicFileAttributes.class);
      } catch (IOException e) {
        continue; // gone, with its jars
      }
      long modified = attrs.lastModifiedTime().toMillis();
      next.put(dir, modified);
      if (modified == d.getValue()) {
        for (Path jar : jarsByDir.getOrDefault(dir, List.of())) {
          try {
            result.put(jar, Files.readAttributes(jar, BasicFileAttributes.class));
          } catch (IOException e) {
            // gone
          }
        }
        continue;
      }
      try (java.nio.file.DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
        for (Path child : children) {
          String n = child.getFileName().toString();
          BasicFileAttributes a;
          try {
            a = Files.readAttributes(child, BasicFileAttributes.class);
          } catch (IOException e) {
            continue;
          }
          if (a.isDirectory()) {
            if (!n.startsWith(".") && !dirs.containsKey(child)) {
              walk(child, result, next);
            }
          } else if (a.isRegularFile() && candidate(n)) {
            result.put(child, a);
          }
        }
      } catch (IOException e) {
        // unreadable: it offers nothing
      }
    }
    dirs = next;
    return result;
  }

  /** Walks a whole tree, recording its folders' times. */
  private void walk(Path from, Map<Path, BasicFileAttributes> result, Map<Path, Long> folders) {
    try {
      Files.walkFileTree(from, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
          // .cache, .locks and such of the Maven resolver
          if (!dir.equals(root) && dir.getFileName().toString().startsWith(".")) {
            return FileVisitResult.SKIP_SUBTREE;
          }
          folders.put(dir, attrs.lastModifiedTime().toMillis());
          return FileVisitResult.CONTINUE;
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
      LOG.warn("Cannot read the repository {} at {}: {}", name, from, e.toString());
    }
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

  /** The entries of the index on disk, when it is there and of this root; none otherwise. */
  private IndexCache.Loaded load() {
    IndexCache.Loaded none = new IndexCache.Loaded(new HashMap<>(), new HashMap<>());
    if (index == null || root == null) {
      return none;
    }
    try {
      IndexCache.Loaded result = IndexCache.read(index, root);
      return result == null ? none : result;
    } catch (IOException | RuntimeException e) {
      LOG.warn("The index of {} in {} cannot be read ({}); it is built again", name, index, e.toString());
      return none;
    }
  }

  private void save() {
    if (index == null) {
      return;
    }
    try {
      IndexCache.write(index, root, entries, dirs);
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
