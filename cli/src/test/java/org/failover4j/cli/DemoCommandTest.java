package org.failover4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Runs the README's main command and checks its story and its numbers. */
class DemoCommandTest extends CommandTest {

  private static final Pattern FAILOVER =
      Pattern.compile("master ([0-9.]+) ms after .*(Master_Down_Interval|Skew_Time) ([0-9.]+) ms");

  @Test
  void theDemoTellsTheWholeStoryAndMeasuresEachFailover() throws Exception {
    int status = run("demo");
    String text = output();
    assertEquals(0, status, text + error());
    String[] story = {
      "r1   BACKUP -> MASTER       master-down",
      "*** r1 crashes",
      "r2   BACKUP -> MASTER       master-down",
      "*** r1 restarts",
      "r1   BACKUP -> MASTER       preempt",
      "r2   MASTER -> BACKUP       higher-priority",
      "*** r1 shuts down gracefully",
      "r2   BACKUP -> MASTER       priority-zero",
    };
    int at = 0;
    for (String step : story) {
      int found = text.indexOf(step, at);
      assertTrue(found >= 0, "missing, or out of order: '" + step + "' in\n" + text);
      at = found;
    }
    Matcher m = FAILOVER.matcher(text);
    int failovers = 0;
    while (m.find()) {
      double measured = Double.parseDouble(m.group(1));
      double predicted = Double.parseDouble(m.group(3));
      // Never faster than the RFC allows; the slack covers a loaded machine, not the protocol.
      assertTrue(measured >= predicted, m.group() + "\n" + text);
      assertTrue(measured < predicted + 250, m.group() + "\n" + text);
      failovers++;
    }
    assertEquals(3, failovers, text);
  }

  @Test
  void argumentsAreAUsageError() throws Exception {
    assertEquals(Main.EXIT_USAGE, run("demo", "--fast"));
    assertTrue(error().contains("takes no arguments"));
  }
}
