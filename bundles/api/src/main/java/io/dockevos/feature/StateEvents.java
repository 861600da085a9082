package io.dockevos.feature;

/**
 * The Event Admin topics and properties of the desired state ({@link DesiredState}). Every event carries
 * {@link #FILE} and {@link #DIGEST}; {@link #APPLIED} also carries {@link #CHANGES}, {@link #FAILED} also
 * {@link #REASON}.
 *
 * @since 0.2
 */
public final class StateEvents {
  /** The prefix of every desired-state topic. */
  public static final String TOPIC_PREFIX = "dockevos/state/";
  /** The desired state was applied: what it names is installed, what it no longer names is removed. */
  public static final String APPLIED = TOPIC_PREFIX + "APPLIED";
  /** The desired state was checked and nothing had to change. */
  public static final String UNCHANGED = TOPIC_PREFIX + "UNCHANGED";
  /** Applying the desired state failed, and nothing it had changed was kept. */
  public static final String FAILED = TOPIC_PREFIX + "FAILED";
  /** Every desired-state topic, for an {@code EventHandler} subscription. */
  public static final String ALL = TOPIC_PREFIX + "*";

  /** The state file, its absolute path, a {@code String}. */
  public static final String FILE = "file";
  /** The SHA-256 of the file's bytes, a {@code String}. */
  public static final String DIGEST = "digest";
  /** How many things changed, an {@code Integer}. */
  public static final String CHANGES = "changes";
  /** Why it failed, in plain words naming the file, the entry and the cause, a {@code String}. */
  public static final String REASON = "reason";

  private StateEvents() {}
}
