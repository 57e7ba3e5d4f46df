package org.failover4j.examples;

import java.io.PrintStream;

/** The entry point every example offers besides {@code main}: it prints to {@code out}. */
@FunctionalInterface
public interface ExampleMain {

  /**
   * Runs the example: on the simulated network unless {@code args} start with {@code --real}.
   *
   * @param out where the example prints what happens
   * @param args the example's arguments, as on its command line
   * @throws Exception whatever the example cannot recover from
   */
  void run(PrintStream out, String... args) throws Exception;
}
