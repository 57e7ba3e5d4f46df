package org.failover4j.xfrm;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The system-wide aevent thresholds of a network namespace, which apply to every SA that has no
 * per-SA value: {@code net.core.xfrm_aevent_etime} and {@code net.core.xfrm_aevent_rseqth}. The
 * takeover margin depends on them (see {@link TakeoverMargin}).
 *
 * @param etimeDeciseconds the event timer period in 100 ms units (kernel default 10: one second)
 * @param replaySequenceThreshold the sequence movement, in packets, that fires an event at once
 *     (kernel default 2)
 */
public record AeventSysctls(int etimeDeciseconds, int replaySequenceThreshold) {

  /** The kernel's defaults: 10 (one second) and 2 packets. */
  public static final AeventSysctls KERNEL_DEFAULTS = new AeventSysctls(10, 2);

  /** Where {@code net.core} lives in procfs. */
  public static final Path PROC_SYS_NET_CORE = Path.of("/proc/sys/net/core");

  /**
   * Reads both values from {@code /proc/sys/net/core}, for the network namespace of the calling
   * thread.
   *
   * @return the values
   * @throws IOException when a file cannot be read or parsed
   */
  public static AeventSysctls read() throws IOException {
    return read(PROC_SYS_NET_CORE);
  }

  /**
   * Reads both values from {@code xfrm_aevent_etime} and {@code xfrm_aevent_rseqth} in {@code dir}.
   *
   * @param dir the directory that holds both files
   * @return the values
   * @throws IOException when a file cannot be read or parsed
   */
  public static AeventSysctls read(Path dir) throws IOException {
    return new AeventSysctls(
        readU32(dir.resolve("xfrm_aevent_etime")), readU32(dir.resolve("xfrm_aevent_rseqth")));
  }

  /** {@return the event timer period as a duration} */
  public Duration eventPeriod() {
    return Duration.ofMillis(100L * Integer.toUnsignedLong(etimeDeciseconds));
  }

  private static int readU32(Path file) throws IOException {
    // One read from offset 0: sysctl files answer only reads that start at 0, so the JDK's
    // Files.readString (a 1-byte read first, as procfs reports size 0) would see only "1" of "10".
    String text;
    try (InputStream in = Files.newInputStream(file)) {
      text = new String(in.readNBytes(64), StandardCharsets.US_ASCII).strip();
    }
    try {
      long value = Long.parseLong(text);
      if (value < 0 || value > 0xffffffffL) {
        throw new NumberFormatException("out of range");
      }
      return (int) value;
    } catch (NumberFormatException e) {
      throw new IOException(file + ": not an unsigned 32-bit number: " + text, e);
    }
  }
}
