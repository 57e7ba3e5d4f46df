package org.failover4j.netlink;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The blocking wait behind request timeouts, on a real descriptor. */
class ReadWaitTest {

  @Test
  void timesOutWhenNothingArrivesAndWakesWhenSomethingDoes() throws Exception {
    try (NetlinkSocket socket = NetlinkSocket.open(Netlink.NETLINK_ROUTE)) {
      ReadWait wait = new ReadWait();
      long start = System.nanoTime();
      assertFalse(wait.await(socket.fd(), start + TimeUnit.MILLISECONDS.toNanos(50), "test"));
      assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(50));

      Thread sender =
          new Thread(
              () -> {
                try {
                  Thread.sleep(30);
                  ByteBuffer request = ByteBuffer.allocateDirect(64).order(ByteOrder.nativeOrder());
                  new NetlinkMessageWriter()
                      .wrap(request)
                      .begin(18, Netlink.NLM_F_REQUEST | Netlink.NLM_F_DUMP)
                      .putZeros(16)
                      .end();
                  socket.send(request.flip());
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      sender.start();
      assertTrue(wait.await(socket.fd(), System.nanoTime() + TimeUnit.SECONDS.toNanos(5), "test"));
      sender.join();
    }
  }
}
