package io.dockevos.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** An interactive process that a test types into and reads from, with a deadline on every wait. */
final class Console {
  private final Process process;
  private final OutputStream input;
  private final StringBuffer output = new StringBuffer();
  private final Thread reader;

  Console(Process process) {
    this.process = process;
    this.input = process.getOutputStream();
    this.reader = new Thread(() -> {
      byte[] buffer = new byte[8192];
      try (InputStream in = process.getInputStream()) {
        int n;
        while ((n = in.read(buffer)) >= 0) {
          output.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
        }
      } catch (IOException closed) {
        // the process is gone
      }
    }, "console-reader");
    reader.setDaemon(true);
    reader.start();
  }

  /** Types text; it is sent at once. */
  void type(String text) {
    try {
      input.write(text.getBytes(StandardCharsets.UTF_8));
      input.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("typing into the console: " + e.getMessage() + "\noutput so far:\n" + output, e);
    }
  }

  /** Closes standard input: end of file. */
  void closeInput() {
    try {
      input.close();
    } catch (IOException ignored) {
      // already closed by the process
    }
  }

  /** @return everything printed so far, raw */
  String output() {
    return output.toString();
  }

  /**
   * @return what a user reads on the screen, line by line: terminal escape sequences removed, and
   *     for each line only what follows its last carriage return (a redrawn line)
   */
  List<String> screenLines() {
    return screen().lines().map(l -> l.endsWith("\r") ? l.substring(0, l.length() - 1) : l)
        .map(l -> l.substring(l.lastIndexOf('\r') + 1)).toList();
  }

  /** @return the output without terminal escape sequences */
  String screen() {
    return output.toString()
        .replaceAll("\u001B\\[[0-9;?]*[ -/]*[@-~]", "")
        .replaceAll("\u001B\\][^\u0007\u001B]*(\u0007|\u001B\\\\)", "")
        .replaceAll("\u001B[()][0-9A-Za-z]|\u001B[=>78]", "");
  }

  /**
   * Waits until the console is idle, waiting for input: its output has not changed for half a
   * second and ends with a non-blank line.
   *
   * @return that last line, the prompt, such as {@code "g! "}
   */
  String awaitPrompt(Duration timeout) {
    long[] lastChange = {System.nanoTime()};
    int[] lastLength = {-1};
    String screen = Await.until("the console waits for input (a prompt)", timeout, () -> {
      if (output.length() != lastLength[0]) {
        lastLength[0] = output.length();
        lastChange[0] = System.nanoTime();
      }
      return screen();
    }, text -> !process.isAlive() || System.nanoTime() - lastChange[0] > 500_000_000L && !text.isEmpty()
        && !text.endsWith("\n") && !text.substring(text.lastIndexOf('\n') + 1).isBlank());
    if (!process.isAlive()) {
      throw new AssertionError("the console ended (exit " + process.exitValue() + ") before it prompted:\n" + this);
    }
    String last = screen.substring(screen.lastIndexOf('\n') + 1);
    return last.substring(last.lastIndexOf('\r') + 1);
  }

  /** Waits until the output satisfies {@code condition}. */
  void awaitOutput(String what, Duration timeout, Predicate<Console> condition) {
    Await.until(what, timeout, () -> this, c -> condition.test(c) || !process.isAlive());
    if (!condition.test(this)) {
      throw new AssertionError("the console ended (exit " + process.exitValue() + ") before " + what + ":\n" + this);
    }
  }

  /** @return how many times the screen shows {@code text} */
  int count(String text) {
    String all = screen();
    int n = 0;
    for (int i = all.indexOf(text); i >= 0; i = all.indexOf(text, i + text.length())) {
      n++;
    }
    return n;
  }

  /** @return the exit status, once the process ended by itself within the timeout, or -1 if it did not */
  int awaitExit(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        return -1;
      }
      reader.join(5_000);
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** Kills the process and everything it started. */
  void kill() {
    Distribution.destroyTree(process.toHandle());
  }

  @Override
  public String toString() {
    String text = output.toString();
    List<String> lines = text.lines().toList();
    return lines.size() <= 60 ? text : "[... " + (lines.size() - 60) + " lines left out ...]\n"
        + String.join("\n", lines.subList(lines.size() - 60, lines.size()));
  }
}
