package org.failover4j.benchmarks.lab;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The address changes of one host as {@code ip -ts monitor address} logged them: when each virtual
 * address arrived on (or left) an interface. Its timestamps are the wall clock at which the monitor
 * read the kernel's event, the same clock as the capture's.
 */
public final class AddressLog {

  /** One added or deleted address. */
  public record Change(long micros, boolean added, String iface, String address) {}

  private static final Pattern LINE =
      Pattern.compile(
          "^\\[(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d+)\\] (Deleted )?\\d+: (\\S+)\\s+inet6? (\\S+)/\\d+");

  private AddressLog() {}

  /** Parses the monitor's output; lines that report no address (continuations) are skipped. */
  public static List<Change> parse(String text, ZoneId zone) {
    List<Change> changes = new ArrayList<>();
    for (String line : text.split("\n")) {
      Matcher m = LINE.matcher(line);
      if (m.find()) {
        long micros = BridgeTrace.micros(LocalDateTime.parse(m.group(1)).atZone(zone).toInstant());
        changes.add(
            new Change(micros, m.group(2) == null, m.group(3), BridgeTrace.normalize(m.group(4))));
      }
    }
    return changes;
  }
}
