package org.failover4j.examples;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.failover4j.api.platform.Platform;
import org.failover4j.netlink.platform.NetlinkPlatform;

/**
 * What an example runs on, from its arguments: the simulated network (no arguments, no root) or
 * real interfaces ({@code --real IFACE[,IFACE...]}, as root). Whatever follows is left to the
 * example.
 *
 * @param interfaces the real interfaces named after {@code --real}; empty for the simulated network
 * @param rest the remaining arguments
 */
public record Setup(List<String> interfaces, List<String> rest) {

  /**
   * The VRRP advert interval of the pair examples ({@code load-balancer}, {@code ipsec-gateway})
   * with {@code --real}: keepalived's default. A backup takes over after about 3.6 s of silence,
   * and a master whose adverts a busy machine delays by a few hundred milliseconds keeps its role:
   * with 100 ms adverts the pairs flapped in the kernel lab's loaded one-CPU guest, and a backup
   * that is master for a moment misses the state its peer syncs meanwhile.
   */
  public static final Duration PAIR_ADVERT_INTERVAL = Duration.ofSeconds(1);

  /** Copies the lists. */
  public Setup {
    interfaces = List.copyOf(interfaces);
    rest = List.copyOf(rest);
  }

  /**
   * Reads {@code --real IFACE[,IFACE...]} from the front of {@code args}.
   *
   * @param args an example's arguments
   * @return the set-up they ask for
   * @throws IllegalArgumentException when {@code --real} names no interface
   */
  public static Setup parse(String... args) {
    List<String> rest = new ArrayList<>(Arrays.asList(args));
    if (rest.isEmpty() || !rest.get(0).equals("--real")) {
      return new Setup(List.of(), rest);
    }
    if (rest.size() < 2 || rest.get(1).isBlank()) {
      throw new IllegalArgumentException("--real needs an interface, e.g. --real eth0");
    }
    List<String> names = List.of(rest.get(1).split(","));
    return new Setup(names, rest.subList(2, rest.size()));
  }

  /**
   * Whether the example runs on real interfaces.
   *
   * @return true with {@code --real}
   */
  public boolean real() {
    return !interfaces.isEmpty();
  }

  /**
   * The {@code i}-th real interface, or the last one named when fewer were given.
   *
   * @param i which interface, from 0
   * @return its name
   */
  public String iface(int i) {
    return interfaces.get(Math.min(i, interfaces.size() - 1));
  }

  /**
   * The kernel platform: netlink and raw sockets in this process's network namespace.
   *
   * @return a new platform the caller closes (or hands to a router as its owned platform)
   * @throws IOException when the kernel refuses (without root, for example)
   */
  public static Platform kernel() throws IOException {
    return NetlinkPlatform.open();
  }

  /**
   * Blocks until Ctrl-C (or SIGTERM), then closes {@code resources} in order: how the real-mode
   * examples end, leaving gracefully.
   *
   * @param resources what to close on the way out
   * @throws InterruptedException if this thread is interrupted while waiting
   */
  public static void runUntilStopped(AutoCloseable... resources) throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  for (AutoCloseable resource : resources) {
                    try {
                      resource.close();
                    } catch (Exception e) {
                      System.err.println("closing " + resource + ": " + e);
                    }
                  }
                  stopped.countDown();
                }));
    stopped.await();
  }
}
