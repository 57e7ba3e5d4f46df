package org.failover4j.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ErrnoExceptionTest {

  @Test
  void eachHandledErrnoGetsItsOwnException() {
    assertInstanceOf(NoSuchDeviceException.class, ErrnoException.of("x", 19));
    assertInstanceOf(AlreadyExistsException.class, ErrnoException.of("x", 17));
    assertInstanceOf(AddressNotAvailableException.class, ErrnoException.of("x", 99));
    assertInstanceOf(PermissionDeniedException.class, ErrnoException.of("x", 1));
    assertInstanceOf(PermissionDeniedException.class, ErrnoException.of("x", 13));
    assertInstanceOf(NoSuchEntryException.class, ErrnoException.of("x", 3));
    assertInstanceOf(InvalidArgumentException.class, ErrnoException.of("x", 22));
    assertEquals(ErrnoException.class, ErrnoException.of("x", 5).getClass());
  }

  @Test
  void theMessageNamesTheCallTheErrnoTheStrerrorTextAndTheKernelsExplanation() {
    ErrnoException e =
        ErrnoException.of("RTM_NEWADDR 192.0.2.1/24 on ifindex 99", 19, "ipv4: Device not found");
    assertEquals(
        "RTM_NEWADDR 192.0.2.1/24 on ifindex 99: ENODEV (No such device): ipv4: Device not found",
        e.getMessage());
    assertEquals(Errno.ENODEV, e.errno());
    assertEquals("ENODEV", e.errnoName());
    assertEquals(19, e.errnoNumber());
    assertEquals("No such device", e.strerror());
    assertEquals(Optional.of("ipv4: Device not found"), e.extendedAck());
    assertEquals("RTM_NEWADDR 192.0.2.1/24 on ifindex 99", e.call());
  }

  @Test
  void unknownNumbersStillReadWell() {
    ErrnoException e = ErrnoException.of("sendto", 4000);
    assertNull(e.errno());
    assertEquals("errno 4000", e.errnoName());
    assertTrue(e.getMessage().startsWith("sendto: errno 4000 ("), e.getMessage());
    assertEquals(Optional.empty(), e.extendedAck());
  }

  @Test
  void eventsLostIsEnobufs() {
    EventsLostException e = new EventsLostException("recvfrom(netlink)");
    assertEquals(Errno.ENOBUFS, e.errno());
    assertEquals("recvfrom(netlink): ENOBUFS (No buffer space available)", e.getMessage());
  }

  @Test
  void errnoNamesRoundTrip() {
    for (Errno e : Errno.values()) {
      assertEquals(e, Errno.of(e.number()));
    }
    assertNull(Errno.of(0));
    assertNull(Errno.of(-1));
    assertEquals("EAGAIN", Errno.nameOf(11));
  }
}
