package org.failover4j.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.failover4j.api.AddressText;
import org.failover4j.api.InvalidConfigurationException;
import org.failover4j.api.MalformedPacketException;
import org.failover4j.ipvs.IpvsDropReason;
import org.failover4j.ipvs.SyncConfig;
import org.failover4j.ipvs.SyncMessageReader;
import org.failover4j.ipvs.SyncSockets;

/**
 * {@code failover4j ipvs-monitor [--group 224.0.0.81] [--port 8848] [--interface IF] [--syncid N]
 * [--json]}: joins the IPVS sync group and prints every message received, as text or one JSON
 * object per line ({@link IpvsJson}). With {@code --syncid} other syncids are ignored, as a kernel
 * backup ignores them. A master's own messages are not seen on its host: the kernel sends with
 * multicast loopback off.
 */
final class IpvsMonitorCommand implements Subcommand {

  private static final String NAME = "ipvs-monitor";

  private final long maxMessages;

  /** Runs until interrupted. */
  IpvsMonitorCommand() {
    this(Long.MAX_VALUE);
  }

  /** Returns after {@code maxMessages} printed messages (for tests). */
  IpvsMonitorCommand(long maxMessages) {
    this.maxMessages = maxMessages;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String summary() {
    return "print the IPVS connection-sync messages sent to a multicast group";
  }

  /** The parsed command line. */
  private record Options(
      InetAddress group, int port, String interfaceName, int syncId, boolean json) {}

  @Override
  public String usage() {
    return """
        usage: failover4j ipvs-monitor [--group 224.0.0.81] [--port 8848] [--interface IF] \
        [--syncid N] [--json]

        Joins the IPVS connection-sync group and prints each message received.

          --group ADDR     IPv4 or IPv6 multicast group (default 224.0.0.81)
          --port N         UDP port (default 8848)
          --interface IF   interface to join on (default: the first multicast one up)
          --syncid N       only messages of this syncid, 1..255 (default 0: all)
          --json           one JSON object per message
        """;
  }

  @Override
  public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
    Options options;
    try {
      options = parse(args);
    } catch (UsageException e) {
      err.println("failover4j " + NAME + ": " + e.getMessage());
      return Main.EXIT_USAGE;
    }
    SyncConfig config;
    try {
      config =
          SyncConfig.builder()
              .group(options.group())
              .port(options.port())
              .syncId(options.syncId())
              .networkInterface(networkInterface(options))
              .build();
    } catch (UsageException e) {
      err.println("failover4j " + NAME + ": " + e.getMessage());
      return Main.EXIT_USAGE;
    } catch (InvalidConfigurationException e) {
      String problem = e.problem();
      err.println("failover4j " + NAME + ": --" + flag(e.field()) + " " + problem);
      return Main.EXIT_USAGE;
    }
    try (DatagramChannel socket = SyncSockets.openReceiver(config)) {
      SyncSockets.join(socket, config);
      monitor(socket, config, options.json(), out);
      return 0;
    } catch (ClosedChannelException e) {
      return 0;
    } catch (IOException e) {
      err.println("failover4j " + NAME + ": " + e.getMessage());
      return 1;
    }
  }

  private void monitor(DatagramChannel socket, SyncConfig config, boolean json, PrintStream out)
      throws IOException {
    ByteBuffer buffer = ByteBuffer.allocateDirect(65536);
    SyncMessageReader filter = config.newReader();
    SyncMessageReader reader =
        new SyncMessageReader(0, ByteOrder.LITTLE_ENDIAN, config.persistenceEngines());
    long printed = 0;
    while (printed < maxMessages) {
      buffer.clear();
      socket.receive(buffer);
      int length = buffer.position();
      if (otherSyncId(filter, buffer, length)) {
        continue;
      }
      out.println(
          json
              ? IpvsJson.message(buffer, 0, length, reader).toString()
              : IpvsText.message(buffer, 0, length, reader));
      out.flush();
      printed++;
    }
  }

  /** True for a message a backup with the chosen syncid ignores. */
  private static boolean otherSyncId(SyncMessageReader filter, ByteBuffer buffer, int length) {
    try {
      filter.wrap(buffer, 0, length);
      return false;
    } catch (MalformedPacketException e) {
      return e.reason() == IpvsDropReason.SYNCID_MISMATCH;
    }
  }

  private static Options parse(List<String> args) throws UsageException {
    CommandLine line =
        CommandLine.parse(
            args, Set.of("--group", "--port", "--interface", "--syncid"), Set.of("--json"));
    line.requireNoPositional();
    InetAddress group = line.address("--group", SyncConfig.DEFAULT_GROUP);
    if (!group.isMulticastAddress()) {
      throw new UsageException("--group must be a multicast address, was " + AddressText.of(group));
    }
    return new Options(
        group,
        line.intValue("--port", SyncConfig.DEFAULT_PORT, 1, 65535),
        line.value("--interface", null),
        line.intValue("--syncid", 0, 0, 255),
        line.has("--json"));
  }

  /** The named interface, or the first one that is up, multicast-capable and not loopback. */
  private static NetworkInterface networkInterface(Options options) throws UsageException {
    try {
      if (options.interfaceName() != null) {
        NetworkInterface nif = NetworkInterface.getByName(options.interfaceName());
        if (nif == null) {
          throw new UsageException("--interface names no interface: " + options.interfaceName());
        }
        return nif;
      }
      for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (nif.isUp() && nif.supportsMulticast() && !nif.isLoopback() && hasFamily(nif, options)) {
          return nif;
        }
      }
    } catch (SocketException e) {
      throw new UsageException("--interface: cannot list interfaces: " + e.getMessage());
    }
    throw new UsageException("--interface is needed: no multicast interface is up");
  }

  private static boolean hasFamily(NetworkInterface nif, Options options) {
    boolean ipv6 = options.group() instanceof Inet6Address;
    for (InetAddress a : Collections.list(nif.getInetAddresses())) {
      if (ipv6 ? a instanceof Inet6Address : a instanceof Inet4Address) {
        return true;
      }
    }
    return false;
  }

  /** The command-line flag for a {@link SyncConfig} field. */
  private static String flag(String field) {
    return switch (field) {
      case "syncId" -> "syncid";
      case "networkInterface" -> "interface";
      default -> field;
    };
  }
}
