package org.failover4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.failover4j.examples.ExampleCatalog;
import org.junit.jupiter.api.Test;

/** {@code failover4j example}: lists every example with its line, runs one by name. */
class ExampleCommandTest extends CommandTest {

  @Test
  void withoutANameItListsEveryExampleOnOneLine() throws Exception {
    assertEquals(0, run("example"));
    assertEquals(ExampleCatalog.all().size(), output().lines().count(), output());
    for (ExampleCatalog.Entry e : ExampleCatalog.all()) {
      assertTrue(output().contains(e.name()) && output().contains(e.summary()), output());
    }
  }

  @Test
  void aNameRunsThatExampleOnTheSimulatedNetwork() throws Exception {
    assertEquals(0, run("example", "leader"));
    assertTrue(
        output().contains("node-b becameMaster: serving 192.0.2.100 (master-down)"), output());
  }

  @Test
  void anUnknownNameIsAUsageError() throws Exception {
    assertEquals(Main.EXIT_USAGE, run("example", "nope"));
    assertTrue(error().contains("no example 'nope'"), error());
  }

  @Test
  void realWithoutAnInterfaceIsAUsageError() throws Exception {
    assertEquals(Main.EXIT_USAGE, run("example", "leader", "--real"));
    assertTrue(error().contains("--real needs an interface"), error());
  }

  @Test
  void theToolsHelpListsTheCommand() throws Exception {
    assertEquals(0, run("--help"));
    assertTrue(output().contains("example"), output());
  }
}
