package org.failover4j.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.failover4j.api.AddressText;

/**
 * {@code --metrics HOST:PORT} of the serving commands: the meters of failover4j's Micrometer
 * binders at {@code http://HOST:PORT/metrics} in the Prometheus text format, served by the JDK's
 * HTTP server on that address only. A command reads the flag with {@link #address}, then opens the
 * endpoint around what it runs:
 *
 * <pre>{@code
 * try (MetricsEndpoint metrics = MetricsEndpoint.open(request.metrics(), () -> new VrrpRouterMetrics(r))) {
 *   return serve(...);
 * }
 * }</pre>
 */
final class MetricsEndpoint implements AutoCloseable {

  /** The flag; serving commands list it among their valued flags. */
  static final String FLAG = "--metrics";

  /**
   * The flag's lines in a command's usage text, its description starting at {@code column} like the
   * command's other flags.
   */
  static String usage(int column) {
    String flag = "  " + FLAG + " HOST:PORT";
    String indent = " ".repeat(column);
    return flag
        + " ".repeat(Math.max(1, column - flag.length()))
        + "serve /metrics (Prometheus text format) on this\n"
        + indent
        + "address only, such as 127.0.0.1:9100 or [2001:db8::1]:9100\n";
  }

  /** The Prometheus text exposition format, version 0.0.4, which every scraper reads. */
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private static final String PATH = "/metrics";

  /** {@code 192.0.2.1:9100} or {@code [2001:db8::1]:9100}. */
  private static final Pattern HOST_PORT =
      Pattern.compile("(?:\\[([^\\]]*)\\]|([^:\\[\\]]*)):([^:]*)");

  private final PrometheusMeterRegistry registry;
  private final List<MeterBinder> binders;
  private final HttpServer server;
  private final ExecutorService handlers;

  private MetricsEndpoint(
      PrometheusMeterRegistry registry,
      List<MeterBinder> binders,
      HttpServer server,
      ExecutorService handlers) {
    this.registry = registry;
    this.binders = binders;
    this.server = server;
    this.handlers = handlers;
  }

  /**
   * The address {@code --metrics} gives, if given.
   *
   * @throws UsageException when it is not an IP literal and a port in 1..65535
   */
  static Optional<InetSocketAddress> address(CommandLine line) throws UsageException {
    String text = line.value(FLAG, null);
    return text == null ? Optional.empty() : Optional.of(parse(text));
  }

  /** Parses {@code HOST:PORT}: an IPv4 literal, or an IPv6 literal in brackets, and a port. */
  static InetSocketAddress parse(String text) throws UsageException {
    Matcher m = HOST_PORT.matcher(text);
    if (!m.matches()) {
      throw new UsageException(
          FLAG + " must be HOST:PORT such as 127.0.0.1:9100 or [::1]:9100, was '" + text + "'");
    }
    String host = m.group(1) != null ? m.group(1) : m.group(2);
    if (host.isEmpty()) {
      throw new UsageException(
          FLAG + " needs the address to listen on, such as 127.0.0.1:9100, was '" + text + "'");
    }
    InetAddress address = CommandLine.parseAddress(FLAG, host);
    String port = m.group(3);
    int number = port.matches("\\d{1,5}") ? Integer.parseInt(port) : -1;
    if (number < 1 || number > 65535) {
      throw new UsageException(FLAG + " port must be in 1..65535, was '" + port + "'");
    }
    return new InetSocketAddress(address, number);
  }

  /**
   * Binds the binder {@code binder} makes to a new Prometheus registry and serves it on {@code
   * address}, or does nothing (and closing does nothing) when {@code address} is empty: then
   * Micrometer is not even loaded, which spares a start its classes.
   *
   * @throws IOException naming the address when it cannot be bound (in use, not local)
   */
  static MetricsEndpoint open(Optional<InetSocketAddress> address, Supplier<MeterBinder> binder)
      throws IOException {
    if (address.isEmpty()) {
      return new MetricsEndpoint(null, List.of(), null, null);
    }
    return start(address.get(), binder.get());
  }

  /**
   * Binds {@code binders} to a new Prometheus registry and serves it on {@code address} (port 0
   * picks a free port; {@link #address()} tells which).
   *
   * @throws IOException naming the address when it cannot be bound (in use, not local)
   */
  static MetricsEndpoint start(InetSocketAddress address, MeterBinder... binders)
      throws IOException {
    HttpServer server;
    try {
      server = HttpServer.create(address, 0);
    } catch (IOException e) {
      throw new IOException(
          FLAG + " " + text(address) + ": cannot listen there: " + e.getMessage(), e);
    }
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    List<MeterBinder> bound = new ArrayList<>(List.of(binders));
    bound.forEach(b -> b.bindTo(registry));
    // Two daemon threads: a slow scraper must not hold up the next one, nor the exit.
    ExecutorService handlers =
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "failover4j-metrics");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(handlers);
    MetricsEndpoint endpoint = new MetricsEndpoint(registry, bound, server, handlers);
    server.createContext(PATH, endpoint::handle);
    server.start();
    return endpoint;
  }

  /** The address it listens on, or null when {@code --metrics} was not given. */
  InetSocketAddress address() {
    return server == null ? null : server.getAddress();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      if (!exchange.getRequestURI().getPath().equals(PATH)) {
        reply(exchange, 404, "only " + PATH + " is served\n");
      } else if (!method.equals("GET") && !method.equals("HEAD")) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        reply(exchange, 405, "GET or HEAD only\n");
      } else {
        ByteArrayOutputStream body = new ByteArrayOutputStream(16 * 1024);
        registry.scrape(body, CONTENT_TYPE);
        exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
        send(exchange, 200, body.toByteArray(), method.equals("HEAD"));
      }
    }
  }

  private static void reply(HttpExchange exchange, int status, String text) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    send(exchange, status, text.getBytes(StandardCharsets.UTF_8), false);
  }

  private static void send(HttpExchange exchange, int status, byte[] body, boolean headOnly)
      throws IOException {
    exchange.sendResponseHeaders(status, headOnly ? -1 : body.length);
    if (!headOnly) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private static String text(InetSocketAddress address) {
    String host = AddressText.of(address.getAddress());
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
  }

  /** Stops serving, then removes the meters. */
  @Override
  public void close() {
    if (server == null) {
      return;
    }
    server.stop(0);
    handlers.shutdownNow();
    for (MeterBinder binder : binders) {
      if (binder instanceof AutoCloseable closeable) {
        try {
          closeable.close();
        } catch (Exception e) {
          // The binders' close only removes meters; the registry is discarded below anyway.
        }
      }
    }
    registry.close();
  }
}
