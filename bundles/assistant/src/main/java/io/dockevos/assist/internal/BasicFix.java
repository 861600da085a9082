package io.dockevos.assist.internal;

import io.dockevos.assist.Fix;
import io.dockevos.assist.Risk;
import java.util.List;
import java.util.Optional;

/** A fix made of its parts. */
final class BasicFix implements Fix {
  /** What applying does; returns what it did. */
  interface Apply {
    String run() throws Exception;
  }

  /** Undoes it. */
  interface Undo {
    void run() throws Exception;
  }

  /** Checks it worked: empty, or what is still wrong. */
  interface Check {
    Optional<String> run() throws Exception;
  }

  private final String description;
  private final Risk risk;
  private final boolean addsCode;
  private final String dryRun;
  private final Apply apply;
  private final Undo rollback;
  private final Check verify;

  /** @param addsCode whether applying it installs or updates a bundle or a feature: then it is not SAFE */
  BasicFix(String description, Risk risk, boolean addsCode, String dryRun, Apply apply, Undo rollback, Check verify) {
    this.description = description;
    this.risk = risk;
    this.addsCode = addsCode;
    this.dryRun = dryRun;
    this.apply = apply;
    this.rollback = rollback;
    this.verify = verify;
  }

  /** Steps for a person: nothing is applied. */
  static BasicFix manual(String description, List<String> steps) {
    StringBuilder s = new StringBuilder("nothing is changed: follow these steps");
    for (int i = 0; i < steps.size(); i++) {
      s.append('\n').append(i + 1).append(". ").append(steps.get(i));
    }
    return new BasicFix(description, Risk.MANUAL, false, s.toString(), () -> {
      throw new IllegalStateException("a manual procedure is followed by a person, not applied: " + description);
    }, null, null);
  }

  @Override
  public String description() {
    return description;
  }

  @Override
  public Risk risk() {
    return risk;
  }

  @Override
  public boolean addsCode() {
    return addsCode;
  }

  @Override
  public String dryRun() {
    return dryRun;
  }

  @Override
  public String apply() throws Exception {
    return apply.run();
  }

  @Override
  public void rollback() throws Exception {
    if (rollback != null) {
      rollback.run();
    }
  }

  @Override
  public Optional<String> verify() throws Exception {
    return verify == null ? Optional.empty() : verify.run();
  }

  @Override
  public String toString() {
    return description + " [" + risk + "]";
  }

  /** Polls a check for up to {@code millis}, as a started component may take a moment; returns the last answer. */
  static Optional<String> within(long millis, Check check) throws Exception {
    long end = System.nanoTime() + millis * 1_000_000L;
    Optional<String> last = check.run();
    while (last.isPresent() && System.nanoTime() < end) {
      Thread.sleep(50);
      last = check.run();
    }
    return last;
  }
}
