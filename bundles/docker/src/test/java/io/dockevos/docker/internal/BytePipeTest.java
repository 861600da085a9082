package io.dockevos.docker.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BytePipeTest {
  @Test
  void whatIsWrittenIsReadInOrderThenTheEnd() throws Exception {
    BytePipe p = new BytePipe();
    p.output().write("hello ".getBytes(StandardCharsets.UTF_8));
    p.output().write("world\n".getBytes(StandardCharsets.UTF_8));
    p.close();
    assertEquals("hello world\n", new String(p.input().readAllBytes(), StandardCharsets.UTF_8));
    assertEquals(-1, p.input().read());
    assertThrows(IOException.class, () -> p.output().write(1), "no write after the end");
  }

  @Test
  void aWriterOnAnotherThreadThatEndsDoesNotBreakThePipe() throws Exception {
    BytePipe p = new BytePipe();
    Thread t = new Thread(() -> {
      try {
        p.output().write(new byte[] {1, 2, 3});
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    });
    t.start();
    t.join(); // PipedInputStream would say "Write end dead" from here on
    byte[] b = new byte[3];
    assertEquals(3, p.input().read(b));
    p.output().write(4);
    assertEquals(4, p.input().read());
  }

  @Test
  void aFullPipeWaitsForTheReaderAndAReaderThatLeftFreesTheWriter() {
    BytePipe p = new BytePipe();
    assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
      Thread reader = new Thread(() -> {
        try {
          Thread.sleep(200);
          p.input().close(); // the reader leaves
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      });
      reader.start();
      // Blocks when full, until the reader left; then the writes fail instead of waiting.
      IOException closed = assertThrows(IOException.class, () -> {
        for (int i = 0; i < BytePipe.CAPACITY + 10; i++) {
          p.output().write(new byte[] {(byte) i});
        }
      });
      assertEquals("the stream is closed", closed.getMessage());
      reader.join();
    });
  }
}
