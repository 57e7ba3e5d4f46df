package org.failover4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CommandLineTest {

  private static CommandLine parse(String... args) throws UsageException {
    return CommandLine.parse(
        List.of(args), Set.of("--vip", "--vrid", "--interval"), Set.of("--json"));
  }

  @Test
  void readsValuesRepeatsSwitchesAndPositionals() throws UsageException {
    CommandLine line = parse("--vip", "192.0.2.1/24", "--vip=192.0.2.2/24", "--json", "file.pcap");
    assertEquals(List.of("192.0.2.1/24", "192.0.2.2/24"), line.all("--vip"));
    assertTrue(line.has("--json"));
    assertEquals(List.of("file.pcap"), line.positional());
    assertEquals(7, parse("--vrid", "7").intValue("--vrid", 0, 1, 255));
    assertEquals(Duration.ofMillis(2500), parse("--interval", "2.5s").duration("--interval", null));
  }

  @Test
  void everyMistakeNamesTheFlag() {
    assertEquals("unknown option --bogus", message("--bogus"));
    assertEquals("--vrid needs a value", message("--vrid"));
    assertEquals("--vrid must be in 1..255, was 300", intMessage("--vrid", "300"));
    assertEquals("--vrid must be a number, was 'x'", intMessage("--vrid", "x"));
    assertEquals("--json takes no value", message("--json=yes"));
    assertTrue(
        assertThrows(
                UsageException.class,
                () -> parse("--interval", "soon").duration("--interval", null))
            .getMessage()
            .startsWith("--interval must be a duration"));
  }

  private static String message(String... args) {
    return assertThrows(UsageException.class, () -> parse(args)).getMessage();
  }

  private static String intMessage(String flag, String value) {
    return assertThrows(UsageException.class, () -> parse(flag, value).intValue(flag, 0, 1, 255))
        .getMessage();
  }
}
