package org.failover4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MainTest extends CommandTest {

  @Test
  void helpPrintsUsageAndSucceeds() throws Exception {
    assertEquals(0, run("--help"));
    assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("usage: failover4j"));
  }

  @Test
  void versionComesFromTheBuild() throws Exception {
    assertEquals(0, run("--version"));
    assertTrue(out.toString(StandardCharsets.UTF_8).matches("failover4j \\d+\\.\\d+\\.\\d+.*\\R"));
  }

  @Test
  void unknownCommandIsAUsageError() throws Exception {
    assertEquals(Main.EXIT_USAGE, run("frobnicate"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown command 'frobnicate'"));
  }

  @Test
  void noArgumentsIsAUsageError() throws Exception {
    assertEquals(Main.EXIT_USAGE, run());
  }
}
