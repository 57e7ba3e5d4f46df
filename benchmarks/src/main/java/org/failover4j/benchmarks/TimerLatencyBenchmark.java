package org.failover4j.benchmarks;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.failover4j.api.Timer;
import org.failover4j.netlink.PollEventLoop;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Timer precision of the poll loop: arm a 200 µs timer from another thread and wait until it fired.
 * The sample time minus 200 µs is the lateness plus two thread hand-offs. Needs no root.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TimerLatencyBenchmark {

  private static final long DELAY_NANOS = 200_000;

  private PollEventLoop loop;
  private Timer timer;
  private Runnable arm;
  private volatile Thread waiter;
  private volatile boolean fired;

  /** Starts the loop and creates the timer on it. */
  @Setup(Level.Trial)
  public void setUp() throws Exception {
    loop = PollEventLoop.start("timer-latency");
    timer =
        loop.newTimer(
            () -> {
              fired = true;
              LockSupport.unpark(waiter);
            });
    arm = () -> timer.scheduleAfter(DELAY_NANOS);
  }

  /** Stops the loop. */
  @TearDown(Level.Trial)
  public void tearDown() {
    loop.close();
  }

  /** Arms the timer on the loop and parks until it fired. */
  @Benchmark
  public boolean fireAfter200us() {
    waiter = Thread.currentThread();
    fired = false;
    loop.execute(arm);
    while (!fired) {
      LockSupport.park(this);
    }
    return fired;
  }
}
