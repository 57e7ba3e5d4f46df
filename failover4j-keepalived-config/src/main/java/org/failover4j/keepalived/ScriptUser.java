package org.failover4j.keepalived;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The user and group a script runs as, from the local /etc/passwd and /etc/group.
 *
 * @param name the user's name
 * @param uid its user id
 * @param gid the group id the script runs with
 * @param currentUid this process's user id
 */
record ScriptUser(String name, int uid, int gid, int currentUid) {

  /** keepalived runs scripts as this user when it exists and nothing else is configured. */
  static final String KEEPALIVED_DEFAULT = "keepalived_script";

  /** {@return true when the script runs as the user this process runs as} */
  boolean isCurrent() {
    return uid == currentUid;
  }

  /** {@return true when the script would run with root's user or group id} */
  boolean isRoot() {
    return uid == 0 || gid == 0;
  }

  /**
   * Looks {@code user} (and {@code group}, or the user's own group when null) up.
   *
   * @throws IllegalArgumentException naming what is not there
   */
  static ScriptUser lookup(String user, String group) {
    List<String> passwd = lines(Path.of("/etc/passwd"));
    String[] entry = find(passwd, user);
    if (entry == null || entry.length < 4) {
      throw new IllegalArgumentException("no user " + user + " in /etc/passwd");
    }
    int uid = Integer.parseInt(entry[2]);
    int gid = Integer.parseInt(entry[3]);
    if (group != null) {
      String[] g = find(lines(Path.of("/etc/group")), group);
      if (g == null || g.length < 3) {
        throw new IllegalArgumentException("no group " + group + " in /etc/group");
      }
      gid = Integer.parseInt(g[2]);
    }
    return new ScriptUser(user, uid, gid, processUid());
  }

  /** {@return whether {@code user} is in /etc/passwd} */
  static boolean exists(String user) {
    return find(lines(Path.of("/etc/passwd")), user) != null;
  }

  /** {@return the user this process runs as} */
  static ScriptUser current() {
    int uid = processUid();
    for (String line : lines(Path.of("/etc/passwd"))) {
      String[] f = line.split(":", -1);
      if (f.length >= 4 && f[2].equals(Integer.toString(uid))) {
        return new ScriptUser(f[0], uid, Integer.parseInt(f[3]), uid);
      }
    }
    return new ScriptUser(Integer.toString(uid), uid, uid, uid);
  }

  private static int processUid() {
    try {
      // /proc/self belongs to the process's effective user.
      return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    } catch (IOException | UnsupportedOperationException e) {
      return "root".equals(System.getProperty("user.name")) ? 0 : -1;
    }
  }

  private static String[] find(List<String> lines, String name) {
    for (String line : lines) {
      String[] f = line.split(":", -1);
      if (f.length >= 3 && f[0].equals(name) && f[2].matches("\\d{1,9}")) {
        return f;
      }
    }
    return null;
  }

  private static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return List.of();
    }
  }
}
