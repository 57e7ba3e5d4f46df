package org.failover4j.netlink;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The Linux capabilities this thread has, read from {@code /proc/thread-self/status}, so that a
 * process without CAP_NET_ADMIN or CAP_NET_RAW is told so when it opens the platform rather than
 * later, from the event loop's thread, by the first socket it cannot create.
 */
public final class Capabilities {

  /** CAP_NET_ADMIN: addresses, links, macvlans, XFRM. */
  public static final int CAP_NET_ADMIN = 12;

  /** CAP_NET_RAW: raw and packet sockets. */
  public static final int CAP_NET_RAW = 13;

  private static final Path STATUS = Path.of("/proc/thread-self/status");

  private Capabilities() {}

  /**
   * Throws {@link PermissionDeniedException} naming what is missing when this thread lacks
   * CAP_NET_ADMIN or CAP_NET_RAW; does nothing when they cannot be read (not Linux procfs).
   *
   * @param what the operation that needs them, for the message
   * @throws PermissionDeniedException when CAP_NET_ADMIN is missing
   */
  public static void requireNetworkAdmin(String what) throws PermissionDeniedException {
    long effective;
    try {
      effective = effective(Files.readString(STATUS));
    } catch (IOException | RuntimeException e) {
      return;
    }
    List<String> missing = missing(effective);
    if (!missing.isEmpty()) {
      throw new PermissionDeniedException(
          what, Errno.EPERM.number(), "missing " + String.join(" and ", missing));
    }
  }

  /** The effective capability set from the text of a {@code status} file. */
  static long effective(String status) {
    for (String line : status.split("\n")) {
      if (line.startsWith("CapEff:")) {
        return Long.parseUnsignedLong(line.substring("CapEff:".length()).strip(), 16);
      }
    }
    throw new IllegalArgumentException("no CapEff line");
  }

  /** The names of the needed capabilities absent from {@code effective}. */
  static List<String> missing(long effective) {
    List<String> missing = new ArrayList<>();
    if ((effective & (1L << CAP_NET_ADMIN)) == 0) {
      missing.add("CAP_NET_ADMIN");
    }
    if ((effective & (1L << CAP_NET_RAW)) == 0) {
      missing.add("CAP_NET_RAW");
    }
    return missing;
  }
}
