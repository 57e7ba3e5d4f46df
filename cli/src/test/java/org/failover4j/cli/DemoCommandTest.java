package org.failover4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.failover4j.api.VirtualTimeEventLoop;
import org.junit.jupiter.api.Test;

/**
 * Runs the README's main command and checks its story and its numbers. The numbers are checked
 * tightly in virtual time, where they do not depend on how loaded the machine is; the real-time
 * command is held only to what no machine can change: the story's order and that no failover is
 * faster than RFC 5798 allows.
 */
class DemoCommandTest extends CommandTest {

  private static final Pattern FAILOVER =
      Pattern.compile(
          "(crash|restart|shutdown) of r1 +(r\\d) master ([0-9.]+) ms after .*"
              + "(Master_Down_Interval|Skew_Time) ([0-9.]+) ms");

  private static final String[] STORY = {
    "r1   BACKUP -> MASTER       master-down",
    "*** r1 crashes",
    "r2   BACKUP -> MASTER       master-down",
    "*** r1 restarts",
    "r1   BACKUP -> MASTER       preempt",
    "r2   MASTER -> BACKUP       higher-priority",
    "*** r1 shuts down gracefully",
    "r2   BACKUP -> MASTER       priority-zero",
  };

  /** One failover line of the report. */
  private record Failover(String cause, String newMaster, double measured, double predicted) {}

  private static void assertTheStory(String text) {
    int at = 0;
    for (String step : STORY) {
      int found = text.indexOf(step, at);
      assertTrue(found >= 0, "missing, or out of order: '" + step + "' in\n" + text);
      at = found;
    }
    assertTrue(
        text.lines().filter(l -> l.contains("BACKUP -> MASTER")).noneMatch(l -> l.contains("r3")),
        "r3, the lowest priority, never becomes master:\n" + text);
  }

  private static List<Failover> failovers(String text) {
    List<Failover> all = new ArrayList<>();
    Matcher m = FAILOVER.matcher(text);
    while (m.find()) {
      all.add(
          new Failover(
              m.group(1),
              m.group(2),
              Double.parseDouble(m.group(3)),
              Double.parseDouble(m.group(5))));
    }
    assertEquals(
        List.of("crash", "restart", "shutdown"), all.stream().map(Failover::cause).toList(), text);
    assertEquals(List.of("r2", "r1", "r2"), all.stream().map(Failover::newMaster).toList(), text);
    return all;
  }

  @Test
  void inVirtualTimeEachFailoverTakesWhatTheRfcPredictsPlusTheHop() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
    int status = new VrrpDemo(loop, new PrintStream(bytes, true, StandardCharsets.UTF_8)).run();
    String text = bytes.toString(StandardCharsets.UTF_8);
    assertEquals(0, status, text);
    assertTheStory(text);
    // Events at the scripted instants: the crash at 1.2 s, the restart at 2.7 s, the exit at 4.2 s.
    assertTrue(text.contains("    1.200 s  *** r1 crashes"), text);
    assertTrue(text.contains("    2.700 s  *** r1 restarts"), text);
    assertTrue(text.contains("    4.200 s  *** r1 shuts down gracefully"), text);
    for (Failover f : failovers(text)) {
      // Exactly the RFC's interval plus the one simulated hop (1 ms) of the new master's first
      // advert: virtual time has no lateness. A runtime that waited one more advert interval, or
      // took over early, fails here on any machine.
      assertEquals(f.predicted() + 1.0, f.measured(), 0.05, f + "\n" + text);
    }
  }

  @Test
  void theCommandTellsTheWholeStoryInRealTime() throws Exception {
    int status = run("demo");
    String text = output();
    assertEquals(0, status, text + error());
    assertTheStory(text);
    for (Failover f : failovers(text)) {
      // A loaded machine makes a failover later, never earlier than the RFC allows.
      assertTrue(f.measured() >= f.predicted(), f + "\n" + text);
    }
  }

  @Test
  void argumentsAreAUsageError() throws Exception {
    assertEquals(Main.EXIT_USAGE, run("demo", "--fast"));
    assertTrue(error().contains("takes no arguments"));
  }
}
