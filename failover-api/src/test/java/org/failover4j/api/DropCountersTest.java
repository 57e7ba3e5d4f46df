package org.failover4j.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class DropCountersTest {

  enum Reason implements DropReason {
    TRUNCATED,
    BAD_CHECKSUM
  }

  enum Other implements DropReason {
    ELSEWHERE
  }

  @Test
  void countsPerReasonAndInTotal() {
    DropCounters<Reason> counters = new DropCounters<>(Reason.class);
    counters.increment(Reason.TRUNCATED);
    counters.increment(new MalformedPacketException(Reason.BAD_CHECKSUM, "sum 0x1234"));
    counters.increment(new MalformedPacketException(Other.ELSEWHERE, "not ours"));
    counters.increment(Reason.TRUNCATED);
    assertEquals(2, counters.get(Reason.TRUNCATED));
    assertEquals(1, counters.get(Reason.BAD_CHECKSUM));
    assertEquals(3, counters.total());
    assertEquals(2L, counters.snapshot().get(Reason.TRUNCATED));
  }

  @Test
  void exceptionMessageNamesTheReasonAndDetail() {
    MalformedPacketException e =
        new MalformedPacketException(Reason.TRUNCATED, "truncated header: 6 bytes, need 8");
    assertEquals("TRUNCATED: truncated header: 6 bytes, need 8", e.getMessage());
    assertEquals(0, e.getStackTrace().length);
  }
}
