package org.failover4j.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Checks every constant, struct size and field offset in {@link LibC}, and every {@link Errno}
 * number, against the C compiler and the system headers of the machine running the tests: the
 * independent source for "the layouts are right on this architecture". Skipped without a C
 * compiler.
 */
class NativeLayoutTest {

  private static final String HEADERS =
      """
      #define _GNU_SOURCE
      #include <errno.h>
      #include <stddef.h>
      #include <stdio.h>
      #include <poll.h>
      #include <time.h>
      #include <sys/socket.h>
      #include <sys/eventfd.h>
      #include <sys/epoll.h>
      #include <sys/prctl.h>
      #include <sys/uio.h>
      #include <netinet/in.h>
      #include <linux/netlink.h>
      #include <linux/if_packet.h>
      """;

  /** C expression, value the Java side uses. */
  private static Map<String, Long> expectations() {
    Map<String, Long> m = new LinkedHashMap<>();
    m.put("AF_INET", (long) LibC.AF_INET);
    m.put("AF_INET6", (long) LibC.AF_INET6);
    m.put("AF_NETLINK", (long) LibC.AF_NETLINK);
    m.put("AF_PACKET", (long) LibC.AF_PACKET);
    m.put("SOCK_DGRAM", (long) LibC.SOCK_DGRAM);
    m.put("SOCK_RAW", (long) LibC.SOCK_RAW);
    m.put("SOCK_NONBLOCK", (long) LibC.SOCK_NONBLOCK);
    m.put("SOCK_CLOEXEC", (long) LibC.SOCK_CLOEXEC);
    m.put("EFD_NONBLOCK", (long) LibC.EFD_NONBLOCK);
    m.put("EFD_CLOEXEC", (long) LibC.EFD_CLOEXEC);
    m.put("MSG_PEEK", (long) LibC.MSG_PEEK);
    m.put("MSG_TRUNC", (long) LibC.MSG_TRUNC);
    m.put("MSG_DONTWAIT", (long) LibC.MSG_DONTWAIT);
    m.put("MSG_CTRUNC", (long) LibC.MSG_CTRUNC);
    m.put("POLLIN", (long) LibC.POLLIN);
    m.put("POLLERR", (long) LibC.POLLERR);
    m.put("POLLHUP", (long) LibC.POLLHUP);
    m.put("POLLNVAL", (long) LibC.POLLNVAL);
    m.put("SOL_SOCKET", (long) LibC.SOL_SOCKET);
    m.put("SO_SNDBUF", (long) LibC.SO_SNDBUF);
    m.put("SO_RCVBUF", (long) LibC.SO_RCVBUF);
    m.put("SO_BINDTODEVICE", (long) LibC.SO_BINDTODEVICE);
    m.put("SO_SNDBUFFORCE", (long) LibC.SO_SNDBUFFORCE);
    m.put("SO_RCVBUFFORCE", (long) LibC.SO_RCVBUFFORCE);
    m.put("IPPROTO_IP", (long) LibC.IPPROTO_IP);
    m.put("IP_TOS", (long) LibC.IP_TOS);
    m.put("IP_TTL", (long) LibC.IP_TTL);
    m.put("IP_HDRINCL", (long) LibC.IP_HDRINCL);
    m.put("IP_PKTINFO", (long) LibC.IP_PKTINFO);
    m.put("IP_MULTICAST_IF", (long) LibC.IP_MULTICAST_IF);
    m.put("IP_MULTICAST_TTL", (long) LibC.IP_MULTICAST_TTL);
    m.put("IP_MULTICAST_LOOP", (long) LibC.IP_MULTICAST_LOOP);
    m.put("IP_ADD_MEMBERSHIP", (long) LibC.IP_ADD_MEMBERSHIP);
    m.put("IP_DROP_MEMBERSHIP", (long) LibC.IP_DROP_MEMBERSHIP);
    m.put("IPPROTO_IPV6", (long) LibC.IPPROTO_IPV6);
    m.put("IPV6_CHECKSUM", (long) LibC.IPV6_CHECKSUM);
    m.put("IPV6_UNICAST_HOPS", (long) LibC.IPV6_UNICAST_HOPS);
    m.put("IPV6_MULTICAST_IF", (long) LibC.IPV6_MULTICAST_IF);
    m.put("IPV6_MULTICAST_HOPS", (long) LibC.IPV6_MULTICAST_HOPS);
    m.put("IPV6_MULTICAST_LOOP", (long) LibC.IPV6_MULTICAST_LOOP);
    m.put("IPV6_ADD_MEMBERSHIP", (long) LibC.IPV6_ADD_MEMBERSHIP);
    m.put("IPV6_DROP_MEMBERSHIP", (long) LibC.IPV6_DROP_MEMBERSHIP);
    m.put("IPV6_RECVPKTINFO", (long) LibC.IPV6_RECVPKTINFO);
    m.put("IPV6_PKTINFO", (long) LibC.IPV6_PKTINFO);
    m.put("IPV6_RECVHOPLIMIT", (long) LibC.IPV6_RECVHOPLIMIT);
    m.put("IPV6_HOPLIMIT", (long) LibC.IPV6_HOPLIMIT);
    m.put("IPV6_TCLASS", (long) LibC.IPV6_TCLASS);
    m.put("SOL_NETLINK", (long) LibC.SOL_NETLINK);
    m.put("NETLINK_ADD_MEMBERSHIP", (long) LibC.NETLINK_ADD_MEMBERSHIP);
    m.put("NETLINK_DROP_MEMBERSHIP", (long) LibC.NETLINK_DROP_MEMBERSHIP);
    m.put("NETLINK_EXT_ACK", (long) LibC.NETLINK_EXT_ACK);
    m.put("NETLINK_ROUTE", (long) Netlink.NETLINK_ROUTE);
    m.put("NETLINK_XFRM", (long) Netlink.NETLINK_XFRM);
    m.put("NETLINK_GENERIC", (long) Netlink.NETLINK_GENERIC);
    m.put("NLMSG_ERROR", (long) Netlink.NLMSG_ERROR);
    m.put("NLMSG_DONE", (long) Netlink.NLMSG_DONE);
    m.put("NLM_F_DUMP", (long) Netlink.NLM_F_DUMP);
    m.put("NLM_F_ACK_TLVS", (long) Netlink.NLM_F_ACK_TLVS);
    m.put("NLM_F_CAPPED", (long) Netlink.NLM_F_CAPPED);
    m.put("NLM_F_DUMP_INTR", (long) Netlink.NLM_F_DUMP_INTR);
    m.put("NLA_F_NESTED", (long) Netlink.NLA_F_NESTED);
    m.put("NLMSGERR_ATTR_MSG", (long) Netlink.NLMSGERR_ATTR_MSG);
    m.put("sizeof(struct nlmsghdr)", (long) Netlink.HEADER_LENGTH);
    m.put("sizeof(struct nlattr)", (long) Netlink.ATTRIBUTE_HEADER_LENGTH);

    m.put("sizeof(struct sockaddr_in)", (long) LibC.SOCKADDR_IN_SIZE);
    m.put("offsetof(struct sockaddr_in, sin_addr)", (long) LibC.SOCKADDR_IN_ADDR);
    m.put("sizeof(struct sockaddr_in6)", (long) LibC.SOCKADDR_IN6_SIZE);
    m.put("offsetof(struct sockaddr_in6, sin6_addr)", (long) LibC.SOCKADDR_IN6_ADDR);
    m.put("offsetof(struct sockaddr_in6, sin6_scope_id)", (long) LibC.SOCKADDR_IN6_SCOPE_ID);
    m.put("sizeof(struct sockaddr_nl)", (long) LibC.SOCKADDR_NL_SIZE);
    m.put("offsetof(struct sockaddr_nl, nl_pid)", (long) LibC.SOCKADDR_NL_PID);
    m.put("offsetof(struct sockaddr_nl, nl_groups)", (long) LibC.SOCKADDR_NL_GROUPS);
    m.put("sizeof(struct sockaddr_ll)", (long) LibC.SOCKADDR_LL_SIZE);
    m.put("offsetof(struct sockaddr_ll, sll_protocol)", (long) LibC.SOCKADDR_LL_PROTOCOL);
    m.put("offsetof(struct sockaddr_ll, sll_ifindex)", (long) LibC.SOCKADDR_LL_IFINDEX);
    m.put("offsetof(struct sockaddr_ll, sll_hatype)", (long) LibC.SOCKADDR_LL_HATYPE);
    m.put("offsetof(struct sockaddr_ll, sll_halen)", (long) LibC.SOCKADDR_LL_HALEN);
    m.put("offsetof(struct sockaddr_ll, sll_addr)", (long) LibC.SOCKADDR_LL_ADDR);
    m.put("sizeof(struct sockaddr_storage)", (long) LibC.SOCKADDR_STORAGE_SIZE);
    m.put("sizeof(struct msghdr)", (long) LibC.MSGHDR_SIZE);
    m.put("offsetof(struct msghdr, msg_name)", (long) LibC.MSGHDR_NAME);
    m.put("offsetof(struct msghdr, msg_namelen)", (long) LibC.MSGHDR_NAMELEN);
    m.put("offsetof(struct msghdr, msg_iov)", (long) LibC.MSGHDR_IOV);
    m.put("offsetof(struct msghdr, msg_iovlen)", (long) LibC.MSGHDR_IOVLEN);
    m.put("offsetof(struct msghdr, msg_control)", (long) LibC.MSGHDR_CONTROL);
    m.put("offsetof(struct msghdr, msg_controllen)", (long) LibC.MSGHDR_CONTROLLEN);
    m.put("offsetof(struct msghdr, msg_flags)", (long) LibC.MSGHDR_FLAGS);
    m.put("sizeof(struct iovec)", (long) LibC.IOVEC_SIZE);
    m.put("offsetof(struct iovec, iov_len)", (long) LibC.IOVEC_LEN);
    m.put("sizeof(struct cmsghdr)", (long) LibC.CMSGHDR_SIZE);
    m.put("offsetof(struct cmsghdr, cmsg_level)", (long) LibC.CMSGHDR_LEVEL);
    m.put("offsetof(struct cmsghdr, cmsg_type)", (long) LibC.CMSGHDR_TYPE);
    m.put("CMSG_ALIGN(1)", (long) LibC.CMSG_ALIGN);
    m.put("sizeof(struct in_pktinfo)", (long) LibC.IN_PKTINFO_SIZE);
    m.put("offsetof(struct in_pktinfo, ipi_ifindex)", (long) LibC.IN_PKTINFO_IFINDEX);
    m.put("offsetof(struct in_pktinfo, ipi_addr)", (long) LibC.IN_PKTINFO_ADDR);
    m.put("sizeof(struct in6_pktinfo)", (long) LibC.IN6_PKTINFO_SIZE);
    m.put("offsetof(struct in6_pktinfo, ipi6_addr)", (long) LibC.IN6_PKTINFO_ADDR);
    m.put("offsetof(struct in6_pktinfo, ipi6_ifindex)", (long) LibC.IN6_PKTINFO_IFINDEX);
    m.put("sizeof(struct ip_mreqn)", (long) LibC.IP_MREQN_SIZE);
    m.put("offsetof(struct ip_mreqn, imr_ifindex)", (long) LibC.IP_MREQN_IFINDEX);
    m.put("sizeof(struct ipv6_mreq)", (long) LibC.IPV6_MREQ_SIZE);
    m.put("offsetof(struct ipv6_mreq, ipv6mr_interface)", (long) LibC.IPV6_MREQ_IFINDEX);
    m.put("sizeof(struct pollfd)", (long) LibC.POLLFD_SIZE);
    m.put("offsetof(struct pollfd, events)", (long) LibC.POLLFD_EVENTS);
    m.put("offsetof(struct pollfd, revents)", (long) LibC.POLLFD_REVENTS);
    m.put("sizeof(struct timespec)", (long) LibC.TIMESPEC_SIZE);
    m.put("PR_SET_TIMERSLACK", (long) LibC.PR_SET_TIMERSLACK);
    m.put("PR_GET_TIMERSLACK", (long) LibC.PR_GET_TIMERSLACK);
    m.put("EPOLL_CLOEXEC", (long) LibC.EPOLL_CLOEXEC);
    m.put("EPOLL_CTL_ADD", (long) LibC.EPOLL_CTL_ADD);
    m.put("EPOLL_CTL_DEL", (long) LibC.EPOLL_CTL_DEL);
    m.put("EPOLLIN", (long) LibC.EPOLLIN);
    m.put("sizeof(struct epoll_event)", (long) LibC.EPOLL_EVENT_SIZE);
    m.put("offsetof(struct epoll_event, data)", (long) LibC.EPOLL_EVENT_DATA);
    for (Errno e : Errno.values()) {
      m.put(e.name(), (long) e.number());
    }
    return m;
  }

  @Test
  void everyConstantAndOffsetMatchesTheSystemHeaders(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    assumeTrue(onPath("cc"), "no C compiler: layouts not checked on this machine");
    Map<String, Long> expected = expectations();
    StringBuilder c = new StringBuilder(HEADERS).append("int main(void) {\n");
    for (String expression : expected.keySet()) {
      c.append("  printf(\"%lld\\n\", (long long) (").append(expression).append("));\n");
    }
    c.append("  return 0;\n}\n");
    Path source = dir.resolve("layout.c");
    Path binary = dir.resolve("layout");
    Files.writeString(source, c);
    run(List.of("cc", "-o", binary.toString(), source.toString()));
    List<String> lines = run(List.of(binary.toString()));
    List<String> expressions = new ArrayList<>(expected.keySet());
    assertEquals(expressions.size(), lines.size());
    for (int i = 0; i < expressions.size(); i++) {
      String expression = expressions.get(i);
      assertEquals(Long.parseLong(lines.get(i).strip()), expected.get(expression), expression);
    }
  }

  private static List<String> run(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new AssertionError(command + " failed:\n" + new String(out, StandardCharsets.UTF_8));
    }
    return new String(out, StandardCharsets.UTF_8).lines().toList();
  }

  private static boolean onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(":")) {
      if (Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }
}
