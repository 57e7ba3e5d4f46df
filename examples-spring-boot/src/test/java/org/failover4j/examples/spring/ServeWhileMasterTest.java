package org.failover4j.examples.spring;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The Spring Boot example serves while master, stops when a peer takes over, serves again. */
class ServeWhileMasterTest {

  @Test
  void servesOnlyWhileMaster() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      ServeWhileMaster.run(out);
    }
    String text = bytes.toString(StandardCharsets.UTF_8);
    int at = 0;
    for (String step :
        new String[] {"http: serving", "http: stopped", "http: serving", "http: stopped"}) {
      int found = text.indexOf(step, at);
      assertTrue(found >= 0, "missing, or out of order: " + step + " in\n" + text);
      at = found + step.length();
    }
    assertTrue(text.contains("web -> BACKUP (higher-priority)"), text);
    assertTrue(text.contains("web -> MASTER (master-down)"), text);
  }
}
