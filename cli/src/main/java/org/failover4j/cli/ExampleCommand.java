package org.failover4j.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.Optional;
import org.failover4j.examples.ExampleCatalog;

/**
 * {@code failover4j example [NAME [ARGS...]]}: lists the examples of the examples module, or runs
 * one. They run on the simulated network unless given {@code --real IFACE}.
 */
final class ExampleCommand implements Subcommand {

  @Override
  public String name() {
    return "example";
  }

  @Override
  public String summary() {
    return "list the example programs, or run one (simulated, or --real IFACE as root)";
  }

  @Override
  public String usage() {
    StringBuilder text =
        new StringBuilder(
            """
            usage: failover4j example [NAME [--real IFACE[,IFACE]] [ARGS...]]

            Without a name, lists the examples. With one, runs it: on a simulated network in
            virtual time (no root, a few seconds), or with --real on the named interfaces (root;
            Ctrl-C leaves gracefully). Their sources are in examples/src/main/java.

            examples:
            """);
    for (ExampleCatalog.Entry e : ExampleCatalog.all()) {
      text.append(String.format("  %-18s %s%n", e.name(), e.usage()));
    }
    return text.toString();
  }

  @Override
  public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
    if (args.isEmpty()) {
      for (ExampleCatalog.Entry e : ExampleCatalog.all()) {
        out.printf("%-18s %s%n", e.name(), e.summary());
      }
      return 0;
    }
    Optional<ExampleCatalog.Entry> example = ExampleCatalog.find(args.get(0));
    if (example.isEmpty()) {
      err.println(
          "failover4j example: no example '"
              + TerminalText.escape(args.get(0))
              + "' (run 'failover4j example' for the list)");
      return Main.EXIT_USAGE;
    }
    try {
      example.get().main().run(out, args.subList(1, args.size()).toArray(String[]::new));
    } catch (IllegalArgumentException e) {
      err.println("failover4j example " + example.get().name() + ": " + e.getMessage());
      return Main.EXIT_USAGE;
    }
    return 0;
  }
}
