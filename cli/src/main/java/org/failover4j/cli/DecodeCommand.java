package org.failover4j.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.failover4j.api.capture.CaptureFileException;
import org.failover4j.api.capture.CaptureReader;
import org.failover4j.api.capture.CapturedFrame;
import org.failover4j.api.capture.IpPacket;

/**
 * {@code failover4j decode FILE [--key vrrp:VRID=SECRET]... [--key carp:VHID=SECRET]...}: reads a
 * pcap or pcapng capture and prints one JSON object per line for every packet a printer claims.
 * Unlike tshark, it checks simple-text passwords and AH ICVs against the keys it is given.
 *
 * <p>A packet that does not decode prints an object with {@code error} and {@code detail}, and
 * decoding goes on: the exit status stays 0. A file that is not a capture, or that ends in the
 * middle of a record, ends the run with one line on standard error and status 2, after the frames
 * read so far were printed.
 */
final class DecodeCommand implements Subcommand {

  private static final Set<String> KEY_PROTOCOLS = Set.of(VrrpPrinter.PROTO, CarpPrinter.PROTO);

  @Override
  public String name() {
    return "decode";
  }

  @Override
  public String summary() {
    return "print the VRRP and CARP packets of a pcap/pcapng capture as JSON lines";
  }

  /**
   * The printers, in the order they are asked. CARP comes before VRRP: both are IP protocol 112.
   * IPVS connection sync (UDP to port 8848, see {@link org.failover4j.api.capture.UdpDatagram})
   * joins this list once ipvs-sync-codec decodes it.
   */
  static List<PacketPrinter> printers(DecodeKeys keys) {
    return List.of(new CarpPrinter(), new VrrpPrinter(keys));
  }

  @Override
  public int run(List<String> args, PrintStream out, PrintStream err) throws IOException {
    DecodeKeys keys = new DecodeKeys(KEY_PROTOCOLS);
    List<String> files = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      try {
        if (arg.equals("-h") || arg.equals("--help")) {
          usage(out);
          return 0;
        } else if (arg.equals("--key")) {
          if (i + 1 == args.size()) {
            throw new IllegalArgumentException("--key: needs a value, PROTO:ID=SECRET");
          }
          keys.add(args.get(++i));
        } else if (arg.startsWith("--key=")) {
          keys.add(arg.substring("--key=".length()));
        } else if (arg.startsWith("-") && !arg.equals("-")) {
          throw new IllegalArgumentException(
              arg + ": unknown option (see failover4j decode --help)");
        } else {
          files.add(arg);
        }
      } catch (IllegalArgumentException e) {
        err.println("failover4j decode: " + e.getMessage());
        return Main.EXIT_USAGE;
      }
    }
    if (files.size() != 1) {
      err.println(
          "failover4j decode: FILE: expected one capture file, got "
              + files.size()
              + " (see failover4j decode --help)");
      return Main.EXIT_USAGE;
    }
    return decode(files.get(0), keys, out, err);
  }

  private static int decode(String file, DecodeKeys keys, PrintStream out, PrintStream err)
      throws IOException {
    List<PacketPrinter> printers = printers(keys);
    IpPacket packet = new IpPacket();
    try (CaptureReader reader =
        file.equals("-") ? CaptureReader.open(System.in) : CaptureReader.open(Path.of(file))) {
      for (CapturedFrame frame = reader.next(); frame != null; frame = reader.next()) {
        if (!packet.wrapFrame(frame)) {
          continue;
        }
        for (PacketPrinter printer : printers) {
          if (printer.claims(packet)) {
            out.println(printer.print(frame.number(), packet));
            break;
          }
        }
      }
    } catch (CaptureFileException e) {
      out.flush();
      err.println("failover4j decode: " + file + ": " + e.getMessage());
      return Main.EXIT_USAGE;
    } catch (NoSuchFileException e) {
      err.println("failover4j decode: " + file + ": no such file");
      return Main.EXIT_USAGE;
    } catch (IOException e) {
      out.flush();
      err.println("failover4j decode: " + file + ": " + e.getMessage());
      return Main.EXIT_USAGE;
    }
    return 0;
  }

  private static void usage(PrintStream out) {
    out.println(
        "usage: failover4j decode FILE [--key vrrp:VRID=SECRET]... [--key carp:VHID=SECRET]...");
    out.println();
    out.println("Prints one JSON object per line for each VRRP and CARP packet in FILE, a pcap or");
    out.println(
        "pcapng capture (Ethernet, Linux cooked v1/v2 or raw IP; '-' reads standard input).");
    out.println();
    out.println(
        "VRRP: frame, proto, src, dst, ttl, version, vrid, priority, addresses, interval_ms,");
    out.println(
        "auth (none, pass or ah), checksum_ok (in any checksum variant peers send), ah_spi and");
    out.println(
        "ah_seq with AH, and auth_ok: whether the password or the AH ICV matches the key given");
    out.println(
        "for the VRID, null without one. Keys longer than 8 bytes are cut to 8, as keepalived");
    out.println("cuts auth_pass. CARP: the header fields; its HMAC is not checked yet.");
    out.println();
    out.println(
        "A packet that does not decode prints {\"frame\":N,\"proto\":...,\"error\":...,\"detail\":...}");
    out.println(
        "and decoding goes on. A file that is not a capture, or is truncated, ends with a line");
    out.println("on standard error and exit status 2.");
  }
}
