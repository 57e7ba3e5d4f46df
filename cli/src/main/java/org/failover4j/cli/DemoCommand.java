package org.failover4j.cli;

import java.io.PrintStream;
import java.util.List;
import org.failover4j.netlink.PollEventLoop;

/**
 * {@code failover4j demo}: three VRRP routers on a simulated LAN, in real time and without root:
 * election, a master crash and failover, recovery with preemption, and a graceful shutdown with the
 * priority-0 handover, ending with each failover's measured time next to what the RFC predicts.
 */
final class DemoCommand implements Subcommand {

  @Override
  public String name() {
    return "demo";
  }

  @Override
  public String summary() {
    return "watch three simulated VRRP routers elect and fail over (no root, ~6 s)";
  }

  @Override
  public String usage() {
    return """
        usage: failover4j demo

        Three VRRP routers with the full failover4j runtime on a simulated LAN, in real time and
        without root: election, a master crash and failover, recovery with preemption, and a
        graceful shutdown with the priority-0 handover. Ends with each failover's measured time
        next to the interval RFC 5798 predicts.
        """;
  }

  @Override
  public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
    if (!args.isEmpty()) {
      err.println("failover4j demo: takes no arguments, got '" + args.get(0) + "'");
      return Main.EXIT_USAGE;
    }
    try (PollEventLoop loop = PollEventLoop.start("failover4j-demo")) {
      return new VrrpDemo(loop, out).run();
    }
  }
}
