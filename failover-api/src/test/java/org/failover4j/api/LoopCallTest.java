package org.failover4j.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

/** Work handed to a loop comes back with its result, or its failure and both stacks. */
class LoopCallTest {

  @Test
  void theResultComesBackAndTheWorkRanOnTheLoop() throws Exception {
    try (ThreadEventLoop loop = ThreadEventLoop.start("loop-call")) {
      assertEquals(Boolean.TRUE, LoopCall.call(loop, loop::inEventLoop));
    }
  }

  @Test
  void aFailureOnTheLoopKeepsItsTypeWithTheCallersStackAndTheLoopsAsCause() throws Exception {
    try (ThreadEventLoop loop = ThreadEventLoop.start("loop-call")) {
      IllegalArgumentException thrown =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  LoopCall.call(
                      loop,
                      () -> {
                        throw new IllegalArgumentException("on the loop");
                      }));
      assertEquals("on the loop", thrown.getMessage());
      Throwable cause = thrown.getCause();
      assertTrue(cause instanceof IllegalArgumentException, String.valueOf(cause));
      assertTrue(
          stackMentions(thrown, "LoopCallTest"), "the caller's stack is the exception's own");
      assertTrue(stackMentions(cause, "ThreadEventLoop"), "the loop's stack is its cause's");
      IOException io =
          assertThrows(
              IOException.class,
              () ->
                  LoopCall.call(
                      loop,
                      () -> {
                        throw new IOException("refused");
                      }));
      assertEquals("refused", io.getMessage());
      assertSame(IOException.class, io.getCause().getClass());
    }
  }

  @Test
  void aTypeThatCannotBeCopiedComesBackItselfWithTheCallersStackAttached() throws Exception {
    try (ThreadEventLoop loop = ThreadEventLoop.start("loop-call")) {
      UncheckedIOException original = new UncheckedIOException("x", new IOException("y"));
      UncheckedIOException thrown =
          assertThrows(
              UncheckedIOException.class,
              () ->
                  LoopCall.call(
                      loop,
                      () -> {
                        throw original;
                      }));
      assertSame(original, thrown);
      assertEquals(1, thrown.getSuppressed().length);
      assertTrue(stackMentions(thrown.getSuppressed()[0], "LoopCallTest"));
    }
  }

  @Test
  void workThatMustFinishRunsToTheEndForAnInterruptedCaller() throws Exception {
    try (ThreadEventLoop loop = ThreadEventLoop.start("loop-call")) {
      Thread.currentThread().interrupt();
      try {
        Integer result =
            LoopCall.callUninterruptibly(
                loop,
                () -> {
                  try {
                    Thread.sleep(50);
                  } catch (InterruptedException e) {
                    throw new AssertionError("the loop thread is not the one interrupted");
                  }
                  return 7;
                });
        assertEquals(7, result);
        assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is kept for the caller");
      } finally {
        Thread.interrupted();
      }
      // The interruptible form gives up instead, while the loop is still busy with the work.
      java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
      Thread.currentThread().interrupt();
      try {
        assertThrows(
            IOException.class,
            () ->
                LoopCall.call(
                    loop,
                    () -> {
                      try {
                        release.await();
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                      }
                      return 1;
                    }));
      } finally {
        Thread.interrupted();
        release.countDown();
      }
    }
  }

  @Test
  void aClosedLoopSaysSo() {
    ThreadEventLoop loop = ThreadEventLoop.start("loop-call");
    loop.close();
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> LoopCall.call(loop, () -> 1));
    assertEquals("the event loop is closed", e.getMessage());
  }

  private static boolean stackMentions(Throwable t, String className) {
    for (StackTraceElement e : t.getStackTrace()) {
      if (e.getClassName().contains(className)) {
        return true;
      }
    }
    return false;
  }
}
