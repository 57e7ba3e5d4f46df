package org.failover4j.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.failover4j.netlink.ErrnoException;
import org.failover4j.xfrm.AeFlag;
import org.failover4j.xfrm.Aevent;
import org.failover4j.xfrm.NoSuchSaException;
import org.failover4j.xfrm.SaId;
import org.failover4j.xfrm.Xfrm;
import org.failover4j.xfrm.XfrmAeventClient;
import org.failover4j.xfrm.XfrmMark;

/**
 * {@code failover4j xfrm-get --dst ADDR --spi N --proto esp|ah|comp [--mark V/M] [--json]}: asks
 * the kernel (GETAE) for one SA's replay and lifetime state, with its thresholds, and prints it in
 * the {@code xfrm-monitor} shape. Exit 3 when no such SA exists, 1 for other kernel errors.
 */
final class XfrmGetCommand implements Subcommand {

  /** Exit status when the SA does not exist. */
  static final int EXIT_NO_SUCH_SA = 3;

  private static final String NAME = "xfrm-get";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String summary() {
    return "print one IPsec SA's replay and lifetime state (XFRM GETAE)";
  }

  @Override
  public String usage() {
    return """
        usage: failover4j xfrm-get --dst ADDR --spi N --proto esp|ah|comp [--mark V/M] [--json]

        Prints an IPsec SA's replay counters, lifetime counters and thresholds. Needs CAP_NET_ADMIN.

          --dst ADDR       the SA's destination address
          --spi N          the SPI, decimal or 0x hex
          --proto P        esp, ah or comp
          --mark V/M       the SA's mark and mask (mask defaults to 0xffffffff)
          --json           one JSON object, as xfrm-monitor prints
        exit status: 0 found, 1 kernel error, 2 bad arguments, 3 no such SA
        """;
  }

  /** The parsed command line. */
  private record Options(SaId sa, XfrmMark mark, boolean json) {}

  @Override
  public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
    Options options;
    try {
      options = parse(args);
    } catch (UsageException e) {
      err.println("failover4j " + NAME + ": " + e.getMessage());
      return Main.EXIT_USAGE;
    }
    try (XfrmAeventClient client = XfrmAeventClient.open()) {
      Aevent ae = client.getAe(options.sa(), options.mark(), EnumSet.of(AeFlag.RTHR, AeFlag.ETHR));
      out.println(options.json() ? XfrmJson.aevent(ae).toString() : XfrmJson.text(ae));
      return 0;
    } catch (NoSuchSaException e) {
      err.println("no such SA");
      return EXIT_NO_SUCH_SA;
    } catch (IOException e) {
      return kernelError(NAME, e, err);
    }
  }

  /** Prints a kernel error with its errno name, when it has one, and returns exit status 1. */
  static int kernelError(String command, IOException e, PrintStream err) {
    String errno =
        e instanceof ErrnoException errnoException ? errnoException.errnoName() + ": " : "";
    err.println("failover4j " + command + ": " + errno + e.getMessage());
    return 1;
  }

  private static Options parse(List<String> args) throws UsageException {
    CommandLine line =
        CommandLine.parse(args, Set.of("--dst", "--spi", "--proto", "--mark"), Set.of("--json"));
    line.requireNoPositional();
    InetAddress dst = CommandLine.parseAddress("--dst", line.required("--dst"));
    int spi = (int) parseU32("--spi", line.required("--spi"));
    String proto = line.required("--proto");
    int protocol =
        switch (proto) {
          case "esp" -> Xfrm.IPPROTO_ESP;
          case "ah" -> Xfrm.IPPROTO_AH;
          case "comp" -> Xfrm.IPPROTO_COMP;
          default ->
              throw new UsageException("--proto must be esp, ah or comp, was '" + proto + "'");
        };
    String markText = line.value("--mark", null);
    XfrmMark mark = null;
    if (markText != null) {
      int slash = markText.indexOf('/');
      long value = parseU32("--mark", slash < 0 ? markText : markText.substring(0, slash));
      long mask = slash < 0 ? 0xffffffffL : parseU32("--mark", markText.substring(slash + 1));
      mark = new XfrmMark((int) value, (int) mask);
    }
    return new Options(new SaId(dst, spi, protocol), mark, line.has("--json"));
  }

  /** A 32-bit unsigned number in decimal or {@code 0x} hex. */
  static long parseU32(String flag, String text) throws UsageException {
    try {
      long n =
          text.startsWith("0x") || text.startsWith("0X")
              ? Long.parseLong(text.substring(2), 16)
              : Long.parseLong(text);
      if (n < 0 || n > 0xffffffffL) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new UsageException(flag + " must be a number in 0..0xffffffff, was '" + text + "'");
    }
  }
}
