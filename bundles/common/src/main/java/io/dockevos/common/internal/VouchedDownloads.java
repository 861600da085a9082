package io.dockevos.common.internal;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What a command installs from an {@code http(s):} URL is downloaded here, and only when someone
 * vouches for it: a plain {@code http:} URL only when the user says {@code --insecure} (or the
 * repository that offers it was registered so); any URL only when its SHA-256 is known, from the
 * user ({@code --sha256}, or the URL's fragment {@code #sha256=HEX}) or from a registered index that
 * offers it, and the download must match it. {@code plugin:install URL} and {@code external:install
 * URL} both download through this, with {@link Downloads} (its limits).
 */
public final class VouchedDownloads {
  private VouchedDownloads() {}

  /**
   * What the user vouches for about a URL.
   *
   * @param sha256 the expected SHA-256 in hex (either case), or {@code null}
   * @param insecure whether it may come over plain {@code http:}
   */
  public record Vouch(String sha256, boolean insecure) {}

  /**
   * What a registered repository says of a URL it offers.
   *
   * @param repository its name, for messages
   * @param sha256 the SHA-256 it gives, or {@code null}
   * @param insecure whether it was registered with {@code --insecure}, so that its plain {@code http:} URLs are taken
   */
  public record Offer(String repository, String sha256, boolean insecure) {}

  /** Why a URL was not downloaded, or its download was refused; the message does not name the URL, the caller does. */
  public static final class Refused extends IOException {
    private static final long serialVersionUID = 1L;

    public Refused(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Downloads {@code url} into a new file of {@code dir} (created when missing), when it is vouched for.
   *
   * @param offer what a registered repository says of it, or {@code null}
   * @param orElse how else a digest can be known, in words, after "give --sha256=HEX (the SHA-256 its
   *     publisher gives)": {@code ", or register a repository that offers it"}, or empty
   * @return the downloaded file, which the caller deletes when done
   * @throws Refused why not, in words (the download was then deleted)
   */
  public static Path download(String url, Vouch vouch, java.util.function.Function<String, Offer> offer, Path dir,
      Downloads.Limits limits, String orElse) throws Refused {
    String s = url.trim();
    URI uri;
    try {
      uri = new URI(s);
    } catch (java.net.URISyntaxException e) {
      throw new Refused("it is not a valid URL: " + e.getMessage(), e);
    }
    if (uri.getHost() == null) {
      throw new Refused("the URL names no host", null);
    }
    String pinned = null;
    if (uri.getRawFragment() != null) {
      // pip's form: the SHA-256 the download must have, which the server never sees.
      pinned = uri.getRawFragment().startsWith("sha256=") ? uri.getRawFragment().substring("sha256=".length()) : "";
      if (!isSha256(pinned)) {
        throw new Refused("the URL's fragment '#" + uri.getRawFragment() + "' is not #sha256=HEX (the 64 hex digits"
            + " of the download's SHA-256)", null);
      }
      s = s.substring(0, s.indexOf('#'));
      uri = URI.create(s);
    }
    Offer offered = offer == null ? null : offer.apply(s);
    if (Downloads.plainHttp(uri) && !vouch.insecure()
        && (offered == null || !offered.insecure() && offered.sha256() == null)) {
      throw new Refused(Downloads.NOT_SECURE + "; use https:, or give --insecure to install it over http: anyway",
          null);
    }
    if (vouch.sha256() == null && pinned == null && offered == null) {
      throw new Refused("a download is installed only when its SHA-256 is known: give --sha256=HEX (the SHA-256 its"
          + " publisher gives)" + orElse, null);
    }
    Path temp = null;
    try {
      Files.createDirectories(dir);
      temp = Files.createTempFile(dir, "download-", ".jar");
      Downloads.Downloaded d = Downloads.toFile(uri, temp, limits);
      if (vouch.sha256() != null) {
        expect(temp, d.sha256(), vouch.sha256(), "--sha256 says", true);
      }
      if (pinned != null) {
        expect(temp, d.sha256(), pinned, "the URL's #sha256= says", true);
      }
      if (offered != null && offered.sha256() != null) {
        expect(temp, d.sha256(), offered.sha256(), "the index " + offered.repository() + " says", true);
      }
      return temp;
    } catch (Refused e) {
      deleteQuietly(temp);
      throw e;
    } catch (IOException | RuntimeException e) {
      deleteQuietly(temp);
      throw new Refused(e.getMessage(), e);
    }
  }

  /**
   * Refuses a file whose SHA-256 is not the one expected, and deletes it when it was downloaded.
   *
   * @param who who expects it, in words: {@code "--sha256 says"}
   */
  public static void expect(Path file, String actual, String expected, String who, boolean downloaded)
      throws Refused {
    if (!actual.equalsIgnoreCase(expected.trim())) {
      if (downloaded) {
        deleteQuietly(file);
      }
      throw new Refused("its SHA-256 is " + actual + ", not " + expected.trim().toLowerCase(Locale.ROOT) + " as " + who
          + (downloaded ? "; the download was deleted" : "") + ". Nothing was installed.", null);
    }
  }

  /**
   * @return the message of an error about a downloaded file, as about the URL it came from: the user
   *     knows the URL, not where its download went ({@code "Cannot install URL: ..."})
   */
  public static String aboutUrl(String message, Path download, String url) {
    String file = download.toString();
    return "Cannot install " + url + ": " + message.replace("Cannot install the plugin archive " + file + ": ", "")
        .replace(file, url);
  }

  /** @return whether {@code hex} is a SHA-256 in hex: 64 of 0-9, a-f, A-F */
  public static boolean isSha256(String hex) {
    return hex != null && hex.matches("[0-9a-fA-F]{64}");
  }

  private static void deleteQuietly(Path p) {
    if (p != null) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException ignored) {
        // a leftover in the downloads folder is removed at the next download
      }
    }
  }
}
