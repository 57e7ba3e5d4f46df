package org.failover4j.examples.spring;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.failover4j.api.Role;
import org.failover4j.spring.Failover4jPlatforms.SimulatedLan;
import org.failover4j.spring.MasterOnly;
import org.failover4j.spring.RoleChangedEvent;
import org.failover4j.vrrp.VrrpInstanceConfig;
import org.failover4j.vrrp.VrrpRouter;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.Lifecycle;
import org.springframework.context.annotation.Bean;

/**
 * A Spring Boot service that serves only while master: the starter builds the VRRP router from
 * properties, and {@link MasterOnly @MasterOnly} starts the HTTP server bean when instance {@code
 * web} becomes master and stops it when it leaves. No listener code.
 *
 * <p>Simulated (no arguments): the application is master alone, a peer of higher priority joins and
 * takes over (the server stops), the peer dies (the server starts again). Real ({@code --real
 * eth0}, as root): instance {@code web} on {@code eth0} with 192.0.2.100/24 until Ctrl-C.
 */
@SpringBootApplication
public class ServeWhileMaster {

  /** The HTTP endpoint, a plain {@link Lifecycle}: the starter decides when it runs. */
  static final class HttpService implements Lifecycle {
    private final PrintStream out;
    private HttpServer server;

    HttpService(PrintStream out) {
      this.out = out;
    }

    @Override
    public synchronized void start() {
      try {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(
            "/",
            exchange -> {
              byte[] body = "served by the master\n".getBytes(StandardCharsets.UTF_8);
              exchange.sendResponseHeaders(200, body.length);
              exchange.getResponseBody().write(body);
              exchange.close();
            });
        server.start();
        out.println("http: serving");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public synchronized void stop() {
      server.stop(0);
      server = null;
      out.println("http: stopped");
    }

    @Override
    public synchronized boolean isRunning() {
      return server != null;
    }
  }

  /**
   * The service bean, started only on the master of instance {@code web}.
   *
   * @param exampleOut where to print
   * @return the service
   */
  @Bean
  @MasterOnly("web")
  HttpService httpService(PrintStream exampleOut) {
    return new HttpService(exampleOut);
  }

  /**
   * Prints each role change the starter publishes as an application event.
   *
   * @param exampleOut where to print
   * @return the listener bean
   */
  @Bean
  ApplicationListener<RoleChangedEvent> rolePrinter(PrintStream exampleOut) {
    return e -> exampleOut.println(e.name() + " -> " + e.role() + " (" + e.change().reason() + ")");
  }

  /**
   * Runs the example, printing to standard output.
   *
   * @param args {@code [--real IFACE]}
   * @throws Exception when the example cannot run
   */
  public static void main(String[] args) throws Exception {
    run(System.out, args);
  }

  /**
   * Runs the example.
   *
   * @param out where to print
   * @param args {@code [--real IFACE]}
   * @throws Exception when the example cannot run
   */
  public static void run(PrintStream out, String... args) throws Exception {
    boolean real = args.length >= 2 && args[0].equals("--real");
    SpringApplication app = new SpringApplication(ServeWhileMaster.class);
    app.setBannerMode(Banner.Mode.OFF);
    app.setDefaultProperties(
        Map.of(
            "failover4j.platform", real ? "kernel" : "simulated",
            "failover4j.vrrp.instances.web.interface", real ? args[1] : "eth0",
            "failover4j.vrrp.instances.web.vrid", "51",
            "failover4j.vrrp.instances.web.priority", "150",
            "failover4j.vrrp.instances.web.advert-interval", "100ms",
            "failover4j.vrrp.instances.web.virtual-addresses", "192.0.2.100/24"));
    app.addInitializers(c -> c.getBeanFactory().registerSingleton("exampleOut", out));
    ConfigurableApplicationContext context = app.run();
    if (real) {
      return; // Spring Boot's shutdown hook leaves gracefully on Ctrl-C
    }
    try (context) {
      VrrpRouter router = context.getBean(VrrpRouter.class);
      HttpService http = context.getBean(HttpService.class);
      router.instance("web").awaitRole(Role.MASTER, Duration.ofSeconds(5));
      while (!http.isRunning()) {
        Thread.sleep(10); // the starter starts @MasterOnly beans on its listener thread
      }
      out.println("a peer with priority 200 joins");
      VrrpRouter peer =
          context
              .getBean(SimulatedLan.class)
              .peer("eth0", "192.0.2.2")
              .instance(
                  VrrpInstanceConfig.builder("peer")
                      .iface("eth0")
                      .vrid(51)
                      .priority(200)
                      .advertInterval(Duration.ofMillis(100))
                      .virtualAddress("192.0.2.100/24")
                      .build())
              .build();
      peer.start();
      router.instance("web").awaitRole(Role.BACKUP, Duration.ofSeconds(5));
      out.println("the peer dies");
      peer.closeAbruptly();
      router.instance("web").awaitRole(Role.MASTER, Duration.ofSeconds(5));
    }
  }
}
