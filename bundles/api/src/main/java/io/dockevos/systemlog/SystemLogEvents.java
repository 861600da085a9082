package io.dockevos.systemlog;

/**
 * The Event Admin topics and properties of the system log.
 *
 * @since 0.1
 */
public final class SystemLogEvents {
  public static final String TOPIC_PREFIX = "dockevos/systemlog/";
  /**
   * A store file had a line that could not be read (a line torn by a kill, or a corrupt one); the
   * line was skipped and the rest loaded.
   */
  public static final String CORRUPT = TOPIC_PREFIX + "CORRUPT";
  /** The store: {@code history}, {@code metrics} or {@code events}, a {@code String}. */
  public static final String STORE = "store";
  /** The file, a {@code String}. */
  public static final String FILE = "file";
  /** The line number, from 1, an {@code Integer}. */
  public static final String LINE = "line";
  /** What was wrong, a {@code String}. */
  public static final String REASON = "reason";

  private SystemLogEvents() {}
}
