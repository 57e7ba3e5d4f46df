package org.failover4j.lab;

import java.net.InetAddress;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.failover4j.api.AddressText;

/**
 * ESP security associations on lab hosts through {@code ip xfrm}, for kernel-lab tests: transport
 * mode with AES-GCM (one fixed test key), policies for UDP, and the counters a takeover test reads:
 * the outbound sequence number, the lifetime packet count, replay failures and {@code
 * /proc/net/xfrm_stat}.
 */
public final class EspSas {

  private static final String GCM_KEY = "0x0102030405060708090a0b0c0d0e0f1011121314";
  private static final Pattern OSEQ = Pattern.compile("oseq 0x([0-9a-f]+)");
  private static final Pattern LIFETIME_PACKETS =
      Pattern.compile("lifetime current:\\s*\\d+\\(bytes\\), (\\d+)\\(packets\\)");
  private static final Pattern REPLAY_STATS =
      Pattern.compile("replay-window (\\d+) replay (\\d+) failed (\\d+)");

  private EspSas() {}

  /**
   * Adds a transport-mode ESP SA from {@code src} to {@code dst} with replay window {@code window}
   * and, when {@code esn}, 64-bit extended sequence numbers. Every SA has reqid 2.
   */
  public static void add(
      Host host, InetAddress src, InetAddress dst, int spi, int window, boolean esn) {
    add(host, src, dst, spi, window, esn, 0);
  }

  /**
   * As {@link #add(Host, InetAddress, InetAddress, int, int, boolean)}, with a soft packet limit
   * when {@code softPacketLimit} is positive: the kernel sends a soft {@code XFRM_MSG_EXPIRE} (the
   * IKE daemon's cue to rekey) once the SA has carried that many packets.
   */
  public static void add(
      Host host,
      InetAddress src,
      InetAddress dst,
      int spi,
      int window,
      boolean esn,
      long softPacketLimit) {
    String command =
        String.format(
            "ip xfrm state add src %s dst %s proto esp spi 0x%x reqid 2 mode transport"
                + " replay-window %d%s aead rfc4106(gcm(aes)) %s 128%s",
            AddressText.of(src),
            AddressText.of(dst),
            spi,
            window,
            esn ? " flag esn" : "",
            GCM_KEY,
            softPacketLimit > 0 ? " limit packet-soft " + softPacketLimit : "");
    host.run(command.split(" "));
  }

  /** Deletes the ESP SA to {@code dst} with {@code spi}, as an IKE daemon does after a rekey. */
  public static void delete(Host host, InetAddress src, InetAddress dst, int spi) {
    host.run(
        "ip",
        "xfrm",
        "state",
        "delete",
        "src",
        AddressText.of(src),
        "dst",
        AddressText.of(dst),
        "proto",
        "esp",
        "spi",
        "0x" + Integer.toHexString(spi));
  }

  /** UDP from {@code src} to {@code dst} goes through the reqid-2 ESP SA; {@code dir} in or out. */
  public static void udpPolicy(Host host, InetAddress src, InetAddress dst, String dir) {
    String bits = src.getAddress().length == 4 ? "/32" : "/128";
    String command =
        String.format(
            "ip xfrm policy add src %s%s dst %s%s proto udp dir %s tmpl src %s dst %s proto esp"
                + " reqid 2 mode transport",
            AddressText.of(src),
            bits,
            AddressText.of(dst),
            bits,
            dir,
            AddressText.of(src),
            AddressText.of(dst));
    host.run(command.split(" "));
  }

  /** The SA's block of {@code ip -s xfrm state}. */
  public static String state(Host host, int spi) {
    String out = host.run("ip", "-s", "xfrm", "state").stdout();
    int at = out.indexOf(String.format("spi 0x%08x", spi));
    if (at < 0) {
      throw new LabException("no SA with spi 0x" + Integer.toHexString(spi) + ":\n" + out);
    }
    int end = out.indexOf("\nsrc ", at);
    return end < 0 ? out.substring(at) : out.substring(at, end);
  }

  /** The SA's outbound sequence number (its low 32 bits with ESN). */
  public static long outboundSequence(Host host, int spi) {
    return number(OSEQ, state(host, spi), 16);
  }

  /** How many packets the SA has carried, sent or accepted. */
  public static long lifetimePackets(Host host, int spi) {
    return number(LIFETIME_PACKETS, state(host, spi), 10);
  }

  /**
   * How many packets the SA refused: replays, too old for its window, or failing the integrity
   * check. With ESN a packet far below the window counts as the next 2^32 epoch's and fails the
   * integrity check, which covers the high bits, instead of the replay check.
   */
  public static long replayFailures(Host host, int spi) {
    String state = state(host, spi);
    Matcher m = REPLAY_STATS.matcher(state);
    if (!m.find()) {
      throw new LabException("no replay statistics in:\n" + state);
    }
    return Long.parseLong(m.group(1)) + Long.parseLong(m.group(2)) + Long.parseLong(m.group(3));
  }

  /** A counter of the host's {@code /proc/net/xfrm_stat}, such as {@code XfrmInStateSeqError}. */
  public static long stat(Host host, String counter) {
    for (String line : host.run("cat", "/proc/net/xfrm_stat").stdout().split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length == 2 && f[0].equals(counter)) {
        return Long.parseLong(f[1]);
      }
    }
    throw new LabException("no " + counter + " in /proc/net/xfrm_stat");
  }

  private static long number(Pattern pattern, String text, int radix) {
    Matcher m = pattern.matcher(text);
    if (!m.find()) {
      throw new LabException("no /" + pattern + "/ in:\n" + text);
    }
    return Long.parseLong(m.group(1), radix);
  }
}
