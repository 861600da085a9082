package io.dockevos.feature.internal;

import io.dockevos.feature.FeatureException;
import io.dockevos.install.Change;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What installing a feature takes, before anything changes: the jar of each of its bundles, which
 * of them are installed already (used as they are), and the one {@link Change} that installs the
 * others, each at its {@code start-order}. Needs no framework: what is installed is given.
 */
final class FeaturePlanner {
  /**
   * One bundle of the feature.
   *
   * @param jar where {@link BundleFinder} found it
   * @param identity what its manifest says it is
   * @param present whether that symbolic name and version is installed already
   * @param owned whether the feature installs it (and uninstalls it with itself): it is not present,
   *     or the feature being repaired had installed it
   */
  record Planned(Descriptor.BundleSpec spec, Path jar, BundleFinder.Identity identity, boolean present,
      boolean owned) {
    /** @return {@code name version}, as a plan names it */
    String key() {
      return InstalledBundles.key(identity.symbolicName(), identity.version().toString());
    }

    /** @return {@code name version (maven id)}, the way messages name it */
    String label() {
      return identity + " (" + spec.id() + ")";
    }
  }

  /**
   * @param bundles each of the feature's bundles once, in the order of its file
   * @param change the install of those that are not present (scope {@link Change.Scope#GIVEN}); no
   *     items when every one is present
   */
  record Result(Descriptor feature, List<Planned> bundles, Change change) {
    List<Planned> present() {
      return bundles.stream().filter(Planned::present).toList();
    }

    Optional<Planned> byKey(String key) {
      return bundles.stream().filter(b -> b.key().equals(key)).findFirst();
    }
  }

  private final BundleFinder finder;

  FeaturePlanner(BundleFinder finder) {
    this.finder = finder;
  }

  /**
   * @param activeLevel the framework's start level (or the one it rises to): a bundle above it would never start
   * @param installed the {@link InstalledBundles#key}s of the installed bundles
   * @param repair the record of the feature when it is repaired, for which bundles it owns; or null
   * @throws FeatureException naming every bundle that cannot be found or read or would never start,
   *     or the mandatory extension; nothing was changed
   */
  Result plan(Descriptor d, int activeLevel, Set<String> installed, FeatureRegistry.Installed repair)
      throws FeatureException {
    String what = "Cannot install feature " + d.label() + ": ";
    if (!d.mandatoryExtensions().isEmpty()) {
      throw new FeatureException(what + "it has the mandatory extension " + String.join(", ", d.mandatoryExtensions())
          + ", and dockevOS installs only bundles and configurations. Nothing was installed.");
    }
    List<Planned> bundles = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (Descriptor.BundleSpec spec : d.bundles()) {
      Optional<Path> jar = finder.find(spec);
      if (jar.isEmpty()) {
        problems.add("bundle " + spec.id() + " is neither in " + finder.places(spec));
        continue;
      }
      BundleFinder.Identity identity;
      try {
        identity = BundleFinder.identify(jar.get());
      } catch (IOException e) {
        problems.add("bundle " + spec.id() + ": " + e.getMessage());
        continue;
      }
      if (spec.startOrder() > activeLevel) {
        problems.add("bundle " + spec.id() + " has start-order " + spec.startOrder()
            + ", above the framework's start level " + activeLevel + ", so it would never start");
        continue;
      }
      String key = InstalledBundles.key(identity.symbolicName(), identity.version().toString());
      if (seen.add(key)) {
        boolean present = installed.contains(key);
        boolean owned = !present || repair != null && repair.bundles().stream()
            .anyMatch(r -> r.owned() && r.sameBundle(identity.symbolicName(), identity.version().toString()));
        bundles.add(new Planned(spec, jar.get(), identity, present, owned));
      }
    }
    if (!problems.isEmpty()) {
      throw new FeatureException(what + String.join("; ", problems) + ". Nothing was installed.");
    }
    // Only the feature's own bundles: what it needs beyond them must be installed already. A
    // feature names its bundles; one taken from the repositories would be installed by no one.
    List<Change.Item> items = bundles.stream().filter(b -> !b.present())
        .map(b -> Change.Item.install(b.jar().toString()).withStartLevel(b.spec().startOrder())).toList();
    return new Result(d, List.copyOf(bundles), new Change(items, Change.Scope.GIVEN, Set.of(),
        "feature:install " + d.name()));
  }
}
