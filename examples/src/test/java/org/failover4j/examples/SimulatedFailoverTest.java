package org.failover4j.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The simulated example runs as documented: the primary wins, then hands over on exit. */
class SimulatedFailoverTest {

  @Test
  void thePrimaryWinsAndHandsOverOnExit() throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      SimulatedFailover.main(new String[0]);
    } finally {
      System.setOut(original);
    }
    String text = out.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("primary  BACKUP -> MASTER (master-down)"), text);
    assertTrue(text.contains("standby  BACKUP -> MASTER (priority-zero)"), text);
  }
}
