package org.failover4j.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.failover4j.netlink.PollEventLoop;
import org.failover4j.xfrm.Aevent;
import org.failover4j.xfrm.AeventListener;
import org.failover4j.xfrm.AeventSubscription;
import org.failover4j.xfrm.XfrmAeventClient;

/**
 * {@code failover4j xfrm-monitor [--json]}: joins the kernel's XFRM aevents group and prints every
 * event, as text or one JSON object per line ({@link XfrmJson}); lost events (ENOBUFS) print as
 * {@code {"event":"events_lost"}}.
 */
final class XfrmMonitorCommand implements Subcommand {

  private static final String NAME = "xfrm-monitor";

  /** A lost-events marker in the queue. */
  private static final Object LOST = new Object();

  private final long maxEvents;
  private final Runnable onReady;

  /** Runs until interrupted. */
  XfrmMonitorCommand() {
    this(Long.MAX_VALUE, () -> {});
  }

  /**
   * Returns after {@code maxEvents} printed lines; {@code onReady} runs once subscribed (tests).
   */
  XfrmMonitorCommand(long maxEvents, Runnable onReady) {
    this.maxEvents = maxEvents;
    this.onReady = onReady;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String summary() {
    return "print the kernel's IPsec SA replay/lifetime events (XFRM aevents)";
  }

  @Override
  public String usage() {
    return """
        usage: failover4j xfrm-monitor [--json]

        Joins the XFRM aevents group and prints each event. Needs CAP_NET_ADMIN. The kernel only
        generates aevents while someone listens. Says on stderr what it waits for; addresses
        print as ip prints them (2001:db8::2).

          --json           one JSON object per event
        """;
  }

  @Override
  public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
    boolean json;
    try {
      CommandLine line = CommandLine.parse(args, Set.of(), Set.of("--json"));
      line.requireNoPositional();
      json = line.has("--json");
    } catch (UsageException e) {
      err.println("failover4j " + NAME + ": " + e.getMessage());
      return Main.EXIT_USAGE;
    }
    BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    try (PollEventLoop loop = PollEventLoop.start("xfrm-monitor");
        XfrmAeventClient client = XfrmAeventClient.open();
        AeventSubscription subscription =
            client.subscribe(
                loop,
                new AeventListener() {
                  @Override
                  public void onAevent(Aevent event) {
                    queue.add(event);
                  }

                  @Override
                  public void eventsLost() {
                    queue.add(LOST);
                  }
                })) {
      // On stderr, so that the events on stdout stay machine-readable.
      err.println(
          "failover4j "
              + NAME
              + ": waiting for XFRM aevents (replay and lifetime changes of IPsec SAs; the"
              + " kernel sends them as SAs carry traffic past their thresholds); Ctrl-C stops");
      err.flush();
      onReady.run();
      for (long printed = 0; printed < maxEvents; printed++) {
        Object next = queue.take();
        if (next == LOST) {
          out.println(json ? "{\"event\":\"events_lost\"}" : "events lost");
        } else {
          Aevent ae = (Aevent) next;
          out.println(json ? XfrmJson.aevent(ae).toString() : XfrmJson.text(ae));
        }
        out.flush();
      }
      return 0;
    } catch (IOException e) {
      return XfrmGetCommand.kernelError(NAME, e, err);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }
}
