package org.failover4j.ipvs;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * A real server for the kernel lab: echoes TCP on the given ports and swallows UDP on port 53, IPv4
 * and IPv6, on one selector thread. Open it inside the server's namespace.
 */
final class EchoServer implements AutoCloseable {

  private final Selector selector;
  private final Thread thread;

  private EchoServer(Selector selector) {
    this.selector = selector;
    this.thread = new Thread(this::serve, "echo-server");
    thread.setDaemon(true);
  }

  static EchoServer open(int... tcpPorts) throws IOException {
    Selector selector = Selector.open();
    for (int port : tcpPorts) {
      ServerSocketChannel listener = ServerSocketChannel.open();
      listener.bind(new InetSocketAddress(port), 1024);
      listener.configureBlocking(false);
      listener.register(selector, SelectionKey.OP_ACCEPT);
    }
    DatagramChannel udp = DatagramChannel.open();
    udp.bind(new InetSocketAddress(53));
    udp.configureBlocking(false);
    udp.register(selector, SelectionKey.OP_READ);
    EchoServer server = new EchoServer(selector);
    server.thread.start();
    return server;
  }

  private void serve() {
    ByteBuffer buffer = ByteBuffer.allocate(4096);
    while (selector.isOpen()) {
      try {
        selector.select();
        if (!selector.isOpen()) {
          return;
        }
        for (SelectionKey key : selector.selectedKeys()) {
          if (key.isAcceptable()) {
            SocketChannel s = ((ServerSocketChannel) key.channel()).accept();
            if (s != null) {
              s.configureBlocking(false);
              s.register(selector, SelectionKey.OP_READ);
            }
          } else if (key.channel() instanceof DatagramChannel d) {
            buffer.clear();
            d.receive(buffer);
          } else if (key.channel() instanceof SocketChannel s) {
            buffer.clear();
            int n;
            try {
              n = s.read(buffer);
            } catch (IOException e) {
              n = -1;
            }
            if (n < 0) {
              key.cancel();
              s.close();
            } else {
              buffer.flip();
              s.write(buffer);
            }
          }
        }
        selector.selectedKeys().clear();
      } catch (IOException | java.nio.channels.ClosedSelectorException e) {
        return;
      }
    }
  }

  @Override
  public void close() throws IOException {
    for (SelectionKey key : new java.util.ArrayList<>(selector.keys())) {
      key.channel().close();
    }
    selector.close();
  }
}
