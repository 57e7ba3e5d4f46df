package org.failover4j.ipvs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.failover4j.api.VirtualTimeEventLoop;
import org.junit.jupiter.api.Test;

class SyncSenderTest {

  private final VirtualTimeEventLoop loop = new VirtualTimeEventLoop();
  private final List<byte[]> sent = new ArrayList<>();
  private final List<Long> sentAt = new ArrayList<>();

  private SyncSender sender(SyncConfig config) {
    return new SyncSender(loop, config, this::capture);
  }

  private void capture(ByteBuffer message) {
    byte[] copy = new byte[message.remaining()];
    message.get(copy);
    sent.add(copy);
    sentAt.add(loop.nanoTime());
  }

  private static SyncConnection connection(int i) {
    try {
      return SyncConnection.builder()
          .client(InetAddress.getByAddress(new byte[] {(byte) 198, 51, 100, (byte) i}), 1000 + i)
          .virtual(InetAddress.getByName("192.0.2.100"), 80)
          .destination(InetAddress.getByName("192.0.2.22"), 8080)
          .state(TcpState.ESTABLISHED)
          .build();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private List<Integer> clientPorts() {
    List<Integer> ports = new ArrayList<>();
    SyncMessageReader reader = new SyncMessageReader();
    for (byte[] m : sent) {
      reader.wrap(ByteBuffer.wrap(m), 0, m.length);
      while (reader.advance()) {
        ports.add(reader.entry().clientPort());
      }
    }
    return ports;
  }

  @Test
  void aPartialMessageGoesOutAfterTheFlushPeriod() {
    SyncSender sender = sender(SyncConfig.builder().syncId(4).build());
    sender.submit(connection(1));
    loop.advanceBy(Duration.ofMillis(1999));
    assertTrue(sent.isEmpty());
    sender.submit(connection(2));
    loop.advanceBy(Duration.ofMillis(1));
    assertEquals(1, sent.size());
    assertEquals(List.of(1001, 1002), clientPorts());
    assertEquals(4, sent.get(0)[1], "syncid");
    assertEquals(2, sender.entriesSent());
    assertEquals(0, loop.armedTimers());
  }

  @Test
  void aFullMessageGoesOutAfterTheSendDelay() {
    SyncSender sender = sender(SyncConfig.builder().build());
    int perMessage = (1472 - 8) / 36;
    for (int i = 0; i <= perMessage; i++) {
      sender.submit(connection(i));
    }
    assertEquals(1, sender.queued());
    loop.advanceBy(Duration.ofMillis(19));
    assertTrue(sent.isEmpty());
    loop.advanceBy(Duration.ofMillis(1));
    assertEquals(1, sent.size());
    assertEquals(1472 - (1472 - 8) % 36, sent.get(0).length);
    loop.advanceBy(Duration.ofSeconds(2));
    assertEquals(2, sent.size(), "the one entry left waits for the flush");
    assertEquals(Duration.ofMillis(2000).toNanos(), sentAt.get(1));
  }

  @Test
  void eightQueuedMessagesGoOutAtOnce() {
    SyncSender sender = sender(SyncConfig.builder().build());
    int perMessage = (1472 - 8) / 36;
    for (int i = 0; i < 8 * perMessage + 1; i++) {
      sender.submit(connection(i % 250));
    }
    assertEquals(8, sent.size());
    assertEquals(0, loop.nanoTime());
    assertEquals(0, sender.queued());
  }

  @Test
  void flushSendsEverythingNow() {
    SyncSender sender = sender(SyncConfig.builder().build());
    sender.submit(connection(1));
    sender.flush();
    assertEquals(1, sent.size());
    sender.flush();
    assertEquals(1, sent.size(), "nothing more to send");
  }

  @Test
  void discardDropsWhatWasNotSent() {
    SyncSender sender = sender(SyncConfig.builder().build());
    for (int i = 0; i < 50; i++) {
      sender.submit(connection(i));
    }
    sender.discard();
    loop.advanceBy(Duration.ofSeconds(5));
    assertTrue(sent.isEmpty());
    assertEquals(0, loop.armedTimers());
    sender.submit(connection(7));
    sender.flush();
    assertEquals(List.of(1007), clientPorts(), "the buffers came back to the pool");
  }

  @Test
  void onePacketConnectionsAndIpv6InV0AreNotSynced() throws Exception {
    SyncSender v1 = sender(SyncConfig.builder().build());
    assertFalse(v1.submit(connection(1).toBuilder().flags(ConnectionFlags.ONE_PACKET).build()));
    SyncSender v0 = sender(SyncConfig.builder().version(SyncVersion.V0).build());
    SyncConnection v6 =
        connection(1).toBuilder()
            .client(InetAddress.getByName("2001:db8::1"), 1)
            .virtual(InetAddress.getByName("2001:db8::2"), 2)
            .destination(InetAddress.getByName("2001:db8::3"), 3)
            .build();
    assertFalse(v0.submit(v6));
    assertTrue(v1.submit(v6));
    assertEquals(1, v1.entriesIgnored());
    assertEquals(1, v0.entriesIgnored());
  }

  @Test
  void aFailedSendIsCountedAndItsBufferReused() {
    List<Integer> lengths = new ArrayList<>();
    SyncSender sender =
        new SyncSender(
            loop,
            SyncConfig.builder().build(),
            m -> {
              lengths.add(m.remaining());
              if (lengths.size() == 1) {
                throw new IOException("network is unreachable");
              }
            });
    for (int i = 0; i < 20; i++) {
      sender.submit(connection(1));
      sender.flush();
    }
    assertEquals(1, sender.sendFailures());
    assertEquals(19, sender.messagesSent());
    assertEquals(20, lengths.size());
  }

  @Test
  void v0MessagesHoldUpTo61Entries() {
    SyncSender sender = sender(SyncConfig.builder().version(SyncVersion.V0).build());
    for (int i = 0; i < 62; i++) {
      sender.submit(connection(i));
    }
    sender.flush();
    assertEquals(2, sent.size());
    assertEquals(4 + 61 * 24, sent.get(0).length);
    assertEquals(61, sent.get(0)[0]);
  }
}
