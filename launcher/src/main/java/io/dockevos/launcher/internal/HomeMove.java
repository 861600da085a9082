package io.dockevos.launcher.internal;

import io.dockevos.common.internal.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a home relocatable: a home that was copied ({@code cp -a}) or moved ({@code mv}) starts with
 * the same bundles under the same ids. The framework names each bundle by its location, a
 * {@code file:} URL that holds the home's absolute path (boot bundles by reference into
 * {@code system/}, the deploy folder's files), and keeps it in its cache, which moves with the home.
 * Before the framework reads its cache, the locations inside the home that it last ran in are
 * rewritten to the same files inside this home; so are the files that name bundles by location
 * (the plugin manager's signer records) and the configurations that name their file in {@code etc/}
 * or {@code deploy/}. Locations outside the home stay as they are.
 *
 * <p>The home the runtime last ran in is kept in {@code data/home}.
 */
public final class HomeMove {
  private static final Logger LOG = LoggerFactory.getLogger(HomeMove.class);
  static final String RECORD = "home";

  private HomeMove() {}

  /**
   * Rewrites what names the previous home, if the home moved, and records this home.
   *
   * @param home this home, absolute and normalized
   * @param data its data folder
   * @param cache the framework's cache folder
   * @return the previous home when it moved, or null
   */
  public static Path follow(Path home, Path data, Path cache) {
    Path record = data.resolve(RECORD);
    Path previous = null;
    try {
      if (Files.isRegularFile(record)) {
        String text = Files.readString(record, StandardCharsets.UTF_8).trim();
        previous = text.isEmpty() ? null : Path.of(text);
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("Cannot read {} ({}); taking this home as the one the runtime last ran in", record, e.toString());
    }
    if (previous != null && !previous.equals(home)) {
      int changed = rewrite(previous, home, filesNamingTheHome(data, cache));
      LOG.info("The home moved from {} to {}: {} file(s) of the framework cache and data now name this home",
          previous, home, changed);
    }
    if (previous == null || !previous.equals(home)) {
      try {
        AtomicFiles.write(record, (home + "\n").getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        LOG.warn("Cannot record the home in {}: {}", record, e.toString());
      }
    }
    return previous != null && !previous.equals(home) ? previous : null;
  }

  /** The framework cache's location records, the configurations it keeps, and the signer records. */
  private static List<Path> filesNamingTheHome(Path data, Path cache) {
    List<Path> files = new ArrayList<>();
    if (Files.isDirectory(cache)) {
      try (Stream<Path> all = Files.walk(cache, 6)) {
        all.filter(Files::isRegularFile).filter(f -> {
          String name = f.getFileName().toString();
          return name.equals("bundle.info") || name.equals("revision.location")
              || name.endsWith(".config") && f.toString().contains("/data/config/");
        }).forEach(files::add);
      } catch (IOException e) {
        LOG.warn("Cannot read the framework cache {}: {}", cache, e.toString());
      }
    }
    Path signers = data.resolve("plugins/signers.json");
    if (Files.isRegularFile(signers)) {
      files.add(signers);
    }
    return files;
  }

  /** @return how many files changed: in each, the URLs of files inside {@code from} now name the same files in {@code to} */
  static int rewrite(Path from, Path to, List<Path> files) {
    List<String[]> replacements = replacements(from, to);
    int changed = 0;
    for (Path f : files) {
      try {
        String text = Files.readString(f, StandardCharsets.UTF_8);
        String next = text;
        for (String[] r : replacements) {
          next = next.replace(r[0], r[1]);
        }
        if (!next.equals(text)) {
          AtomicFiles.write(f, next.getBytes(StandardCharsets.UTF_8));
          changed++;
        }
      } catch (IOException | RuntimeException e) {
        LOG.warn("Cannot make {} name the home {}: {}", f, to, e.toString());
      }
    }
    return changed;
  }

  /**
   * The prefixes of a file inside {@code from}, each with its counterpart inside {@code to}: the
   * framework's {@code file:///PATH/} (Path.toUri) and the configurations' {@code file:/PATH/}
   * (File.toURI), each ending in a slash so that only files inside the home match.
   */
  static List<String[]> replacements(Path from, Path to) {
    String fromUri = dirUri(from);
    String toUri = dirUri(to);
    List<String[]> result = new ArrayList<>();
    result.add(new String[] {fromUri, toUri});
    result.add(new String[] {"file:" + fromUri.substring("file://".length()), "file:" + toUri.substring("file://".length())});
    return result;
  }

  /** @return {@code file:///PATH/} of a folder, whether or not it exists */
  private static String dirUri(Path dir) {
    String uri = dir.toAbsolutePath().normalize().toUri().toString();
    return uri.endsWith("/") ? uri : uri + "/";
  }
}
