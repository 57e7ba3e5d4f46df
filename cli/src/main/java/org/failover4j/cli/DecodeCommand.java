package org.failover4j.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.failover4j.capture.CaptureFileException;
import org.failover4j.capture.CaptureReader;
import org.failover4j.capture.CapturedFrame;
import org.failover4j.capture.IpPacket;
import org.failover4j.capture.LinkType;

/**
 * {@code failover4j decode FILE [--key-file PATH]... [--key PROTO:ID=SECRET]...}: reads a pcap or
 * pcapng capture and prints one JSON object per line for every packet a printer claims. Unlike
 * tshark, it checks simple-text passwords, AH ICVs and CARP HMACs against the keys it is given.
 *
 * <p>A packet that does not decode prints an object with {@code error} and {@code detail}, and
 * decoding goes on: the exit status stays 0; so does a frame of an unknown link type or with a
 * broken IP header. A file that is not a capture, or that ends in the middle of a record, ends the
 * run with one line on standard error and status 2, after the frames read so far were printed. An
 * output that cannot be written ends it at once with status 1.
 */
final class DecodeCommand implements Subcommand {

  /** The protocols a key (file) may name; one file can serve decode and vrrp alike. */
  static final Set<String> KEY_PROTOCOLS =
      Set.of(VrrpPrinter.PROTO, CarpPrinter.PROTO, VrrpCommand.HMAC_PROTO);

  @Override
  public String name() {
    return "decode";
  }

  @Override
  public String summary() {
    return "print the VRRP, CARP and IPVS sync packets of a pcap/pcapng capture as JSON lines";
  }

  /** The printers, in the order they are asked. CARP comes before VRRP: both are protocol 112. */
  static List<PacketPrinter> printers(DecodeKeys keys, CarpPrinter carp) {
    return List.of(carp, new VrrpPrinter(keys), new IpvsPrinter());
  }

  @Override
  public String usage() {
    return """
        usage: failover4j decode FILE [--key-file PATH]... [--key vrrp:VRID=SECRET]...
                                 [--key carp:VHID=SECRET@ADDR[,ADDR]]...
                                 [--key hmac:KEYID=hex:HEX]...

        Prints one JSON object per line for each VRRP, CARP and IPVS sync packet in FILE, a pcap
        or pcapng capture (Ethernet, Linux cooked v1/v2 or raw IP; '-' reads standard input).

        VRRP: frame, proto, src, dst, ttl, version, vrid, priority, addresses, interval_ms,
        auth (none, pass or ah), checksum_ok (in any checksum variant peers send), ah_spi and
        ah_seq with AH, and auth_ok: whether the password or the AH ICV matches the key given
        for the VRID, null without one and for an advert with auth none. Keys longer than 8 bytes are cut to 8, as keepalived
        cuts auth_pass. An advert with keepalived 2.4's auth_hmac trailer has auth hmac,
        hmac_key_id, hmac_seq (the 64-bit sequence), hmac_time (its UTC time) and auth_ok:
        whether the HMAC matches the key hmac:KEYID=hex:HEX (or =TEXT) given for its key id,
        null without one (freshness and replay are the receiver's, not checked here). CARP: frame, proto, src, dst, ttl, version, vhid, advskew, advbase,
        demote, counter, checksum_ok, and auth_ok: whether the HMAC matches the key given for
        the VHID with its virtual addresses (the HMAC covers them; the packet does not carry
        them), null without one. IPVS (UDP to port 8848): version, syncid and the connections,
        as failover4j ipvs-monitor --json prints.

          --key-file PATH   keys, one PROTO:ID=SECRET a line (vrrp:VRID=..., carp:VHID=...,
                            hmac:KEYID=...);
                            blank lines and lines starting with # are skipped. Only its owner
                            may have access (chmod 600): a file others can read is refused.
          --key PROTO:ID=SECRET
                            one key on the command line, where every user sees it in ps:
                            prefer --key-file.

        A packet that does not decode prints {"frame":N,"proto":...,"error":...,"detail":...}
        and decoding goes on; so does a frame of a link type decode does not know ("proto":
        "link") or with a broken IP header ("proto":"ip"). Frames of other protocols, such as
        ARP, are left out. When the output cannot be written (a full disk, a closed pipe),
        decoding stops with a line on standard error and exit status 1. A file that is not a capture, or is truncated, ends with a line
        on standard error and exit status 2.
        """;
  }

  @Override
  public int run(List<String> args, PrintStream out, PrintStream err) throws IOException {
    DecodeKeys keys = new DecodeKeys(KEY_PROTOCOLS);
    String file;
    CarpPrinter carp;
    try {
      CommandLine line = CommandLine.parse(args, Set.of("--key", "--key-file"), Set.of());
      keys.addAll(line, "--key", "--key-file");
      if (line.positional().size() != 1) {
        throw new UsageException(
            "FILE: expected one capture file, got " + line.positional().size());
      }
      file = line.positional().get(0);
      carp = CarpPrinter.withKeys(keys);
    } catch (UsageException | IllegalArgumentException e) {
      err.println("failover4j decode: " + e.getMessage());
      return Main.EXIT_USAGE;
    }
    return decode(file, printers(keys, carp), out, err);
  }

  private static int decode(
      String file, List<PacketPrinter> printers, PrintStream out, PrintStream err)
      throws IOException {
    IpPacket packet = new IpPacket();
    long last = 0;
    try (CaptureReader reader =
        file.equals("-") ? CaptureReader.open(System.in) : CaptureReader.open(Path.of(file))) {
      for (CapturedFrame frame = reader.next(); frame != null; frame = reader.next()) {
        last = frame.number();
        JsonObject line = null;
        if (!packet.wrapFrame(frame)) {
          line = skipped(frame, packet);
        } else {
          for (PacketPrinter printer : printers) {
            if (printer.claims(packet)) {
              line = printer.print(frame.number(), packet);
              break;
            }
          }
        }
        if (line != null) {
          out.println(line);
          // PrintStream keeps write errors to itself: without this a full disk went unnoticed
          // and a closed pipe (| head -1) kept the decoding going to the end of the file.
          if (out.checkError()) {
            if (StandardOutput.readerLeft(out)) {
              return 0; // | head -2 has what it wanted: stop quietly, as Unix tools do
            }
            err.println(
                "failover4j decode: cannot write the output ("
                    + StandardOutput.why(out)
                    + "): stopped at frame "
                    + frame.number());
            return 1;
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
    if (out.checkError() && !StandardOutput.readerLeft(out)) {
      err.println(
          "failover4j decode: cannot write the output ("
              + StandardOutput.why(out)
              + "): stopped at frame "
              + last);
      return 1;
    }
    return 0;
  }

  /**
   * The error line for a frame that announced an IP packet but holds none that can be read (a link
   * type decode does not know, a broken IPv4 or IPv6 header), or null for a frame that carries
   * something else, such as ARP, which is no error.
   */
  private static JsonObject skipped(CapturedFrame frame, IpPacket packet) {
    String failure = packet.failure();
    if (failure == null) {
      return null;
    }
    boolean knownLink = LinkType.of(frame.linkType()).isPresent();
    return new JsonObject()
        .put("frame", frame.number())
        .put("proto", knownLink ? "ip" : "link")
        .put("error", knownLink ? "MALFORMED_HEADER" : "UNSUPPORTED_LINK_TYPE")
        .put("detail", failure);
  }
}
