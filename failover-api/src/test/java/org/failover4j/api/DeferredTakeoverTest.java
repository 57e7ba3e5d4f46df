package org.failover4j.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.failover4j.api.sim.SimulatedPlatform;
import org.junit.jupiter.api.Test;

/**
 * A source's waiting takeover work runs once, later, and always before what the source does next.
 */
class DeferredTakeoverTest {

  private final VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
  private final SimulatedPlatform platform = new SimulatedPlatform(loop);
  private final DeferredTakeover takeover = new DeferredTakeover(platform);
  private final List<String> done = new ArrayList<>();

  @Test
  void withNothingQueuedTheWorkRunsAtOnce() {
    takeover.afterAdverts(() -> done.add("takeover"));
    assertEquals(List.of("takeover"), done);
  }

  @Test
  void queuedWorkRunsOnceAfterTheCallersTurn() {
    platform.deferAddressAdds(true);
    takeover.afterAdverts(() -> done.add("takeover"));
    assertEquals(List.of(), done, "waits for the adverts");
    loop.runPending();
    assertEquals(List.of("takeover"), done);
    loop.runPending();
    assertEquals(List.of("takeover"), done, "once");
  }

  @Test
  void whatTheSourceDoesNextFinishesTheWaitingWorkFirst() {
    platform.deferAddressAdds(true);
    takeover.afterAdverts(() -> done.add("first"));
    takeover.afterAdverts(() -> done.add("second"));
    assertEquals(List.of("first"), done, "the earlier work ran before the next was handed over");
    takeover.finish();
    done.add("step down");
    loop.runPending();
    assertEquals(List.of("first", "second", "step down"), done, "nothing ran twice or late");
  }
}
