package org.failover4j.xfrm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TakeoverMarginTest {

  @Test
  void theDefaultsAllowForAHundredThousandPacketsASecondAndThreeLostMessages() {
    TakeoverMargin m = TakeoverMargin.defaults(AeventSysctls.KERNEL_DEFAULTS);
    assertEquals(2, m.replayThreshold());
    assertEquals(Duration.ofSeconds(1), m.eventPeriod());
    assertEquals(4 * 100_000, m.packets(OptionalInt.empty()));
    // A per-SA threshold above the timer's share wins.
    assertEquals(4L * 1_000_000, m.packets(OptionalInt.of(1_000_000)));
    // Unsigned thresholds and huge rates saturate instead of overflowing.
    assertEquals(
        4L * 0xffff_ffffL, new TakeoverMargin(0, Duration.ZERO, 0, 3).packets(OptionalInt.of(-1)));
    assertEquals(
        Long.MAX_VALUE,
        new TakeoverMargin(0, Duration.ofDays(365), Long.MAX_VALUE / 2, 3)
            .packets(OptionalInt.empty()));
    assertEquals(1, new TakeoverMargin(0, Duration.ZERO, 0, 0).packets(OptionalInt.empty()));
  }

  @Test
  void sysctlsAreReadFromProcStyleFiles(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("xfrm_aevent_etime"), "25\n");
    Files.writeString(dir.resolve("xfrm_aevent_rseqth"), "4294967295\n");
    AeventSysctls s = AeventSysctls.read(dir);
    assertEquals(25, s.etimeDeciseconds());
    assertEquals(-1, s.replaySequenceThreshold());
    assertEquals(Duration.ofMillis(2500), s.eventPeriod());
    Files.writeString(dir.resolve("xfrm_aevent_etime"), "ten\n");
    assertThrows(IOException.class, () -> AeventSysctls.read(dir));
  }
}
