package org.failover4j.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** The {@code failover4j} command: picks a subcommand and returns its exit status. */
public final class Main {

  /** Exit status for bad arguments, as with most Unix tools. */
  public static final int EXIT_USAGE = 2;

  private final Map<String, Subcommand> commands = new LinkedHashMap<>();

  Main(List<Subcommand> available) {
    for (Subcommand c : available) {
      commands.put(c.name(), c);
    }
  }

  /** The commands this build ships. */
  static Main standard() {
    return new Main(
        List.of(
            new DemoCommand(),
            new VrrpCommand(),
            new CarpCommand(),
            new KeepalivedCommand(),
            new DecodeCommand(),
            new IpvsMonitorCommand(),
            new XfrmMonitorCommand(),
            new XfrmGetCommand(),
            new ExampleCommand()));
  }

  /** Entry point of the launcher script. */
  public static void main(String[] args) throws Exception {
    StandardOutput out = StandardOutput.stdout();
    int status = standard().run(Arrays.asList(args), out, System.err);
    out.flush();
    System.exit(status);
  }

  int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
    if (args.isEmpty()) {
      printUsage(err);
      return EXIT_USAGE;
    }
    String first = args.get(0);
    switch (first) {
      case "-h", "--help", "help" -> {
        printUsage(out);
        return 0;
      }
      case "-V", "--version" -> {
        out.println("failover4j " + version());
        return 0;
      }
      default -> {
        Subcommand command = commands.get(first);
        if (command == null) {
          err.println("failover4j: unknown command '" + first + "' (see failover4j --help)");
          return EXIT_USAGE;
        }
        List<String> rest = args.subList(1, args.size());
        if (rest.contains("--help") || rest.contains("-h")) {
          out.print(command.usage());
          return 0;
        }
        return command.run(rest, out, err);
      }
    }
  }

  private void printUsage(PrintStream out) {
    out.println("usage: failover4j [--help | --version] <command> [arguments]");
    out.println();
    out.println("failover4j speaks VRRP, CARP, IPVS connection sync and XFRM SA events.");
    if (!commands.isEmpty()) {
      out.println();
      out.println("commands:");
      for (Subcommand c : commands.values()) {
        out.printf("  %-14s %s%n", c.name(), c.summary());
      }
    }
    out.println();
    out.println("options:");
    out.println("  -h, --help     show this help and exit");
    out.println("  -V, --version  print the version and exit");
  }

  static String version() {
    try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
