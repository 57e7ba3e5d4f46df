package org.failover4j.cli;

import java.io.PrintStream;
import java.util.List;

/** One {@code failover4j} subcommand: parses its own arguments and returns an exit status. */
interface Subcommand {

  /** The word that selects it on the command line. */
  String name();

  /** One line for {@code failover4j --help}. */
  String summary();

  /** The synopsis and options, printed by {@code failover4j <command> --help}. */
  String usage();

  /**
   * Runs the command.
   *
   * @return the process exit status: 0 on success, {@link Main#EXIT_USAGE} for bad arguments
   */
  int run(List<String> args, PrintStream out, PrintStream err) throws Exception;
}
