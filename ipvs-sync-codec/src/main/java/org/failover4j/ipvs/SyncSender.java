package org.failover4j.ipvs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Objects;
import org.failover4j.api.ByteAccess;
import org.failover4j.api.EventLoop;
import org.failover4j.api.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master side: batches connections into messages and sends them on the kernel's schedule.
 *
 * <p>Each connection is encoded at once into the current message. When the next one does not fit
 * (size or 255 entries), the message is queued and a new one begun. The queue is sent {@link
 * SyncConfig#sendDelay()} after its first message was queued, or at once when it reaches {@link
 * SyncConfig#wakeupBatch()} messages; a message that is not full is sent {@link
 * SyncConfig#flushPeriod()} after its first entry ({@code IPVS_SYNC_SEND_DELAY}, {@code
 * IPVS_SYNC_WAKEUP_RATE} and {@code IPVS_SYNC_FLUSH_TIME} in the kernel).
 *
 * <p>Confined to its event loop's thread (the counters can be read anywhere); buffers are allocated
 * once, so steady-state batching allocates nothing beyond what the caller's {@link SyncConnection}s
 * hold. Like the kernel it does not sync one-packet connections, nor IPv6 ones in v0.
 */
public final class SyncSender {

  private static final Logger log = LoggerFactory.getLogger(SyncSender.class);

  private final EventLoop loop;
  private final SyncConfig config;
  private final MessageSink sink;
  private final SyncMessageWriter writer;
  private final ArrayDeque<ByteBuffer> free;
  private final ArrayDeque<ByteBuffer> queue;
  private final Timer sendTimer;
  private final Timer flushTimer;
  private final long sendDelayNanos;
  private final long flushPeriodNanos;

  private ByteBuffer current;
  private volatile long messagesSent;
  private volatile long entriesSent;
  private volatile long entriesIgnored;
  private volatile long sendFailures;

  /**
   * A sender on {@code loop} that puts messages into {@code sink}.
   *
   * @param loop the event loop the sender is confined to
   * @param config the sync settings (version, sizes, timings)
   * @param sink where finished messages go
   */
  public SyncSender(EventLoop loop, SyncConfig config, MessageSink sink) {
    this.loop = Objects.requireNonNull(loop, "loop");
    this.config = Objects.requireNonNull(config, "config");
    this.sink = Objects.requireNonNull(sink, "sink");
    this.writer = config.newWriter();
    int buffers = config.wakeupBatch() + 1;
    this.free = new ArrayDeque<>(buffers);
    this.queue = new ArrayDeque<>(buffers);
    for (int i = 0; i < buffers; i++) {
      free.add(ByteBuffer.allocate(config.maxMessageSize()));
    }
    this.sendTimer = loop.newTimer(this::sendQueued);
    this.flushTimer = loop.newTimer(this::flush);
    this.sendDelayNanos = config.sendDelay().toNanos();
    this.flushPeriodNanos = config.flushPeriod().toNanos();
  }

  /**
   * Adds one connection to the current message.
   *
   * @param connection the connection
   * @return false when the connection is not synced: a one-packet connection, or IPv6 in v0
   */
  public boolean submit(SyncConnection connection) {
    if (connection.flags().has(ConnectionFlags.ONE_PACKET)
        || (writer.version() == SyncVersion.V0 && connection.ipv6())) {
      entriesIgnored++;
      return false;
    }
    if (current == null) {
      begin();
    }
    if (!writer.add(connection)) {
      enqueueCurrent();
      begin();
      writer.add(connection);
    }
    return true;
  }

  /** Sends the current message and everything queued now. */
  public void flush() {
    if (current != null) {
      enqueueCurrent();
    }
    sendQueued();
  }

  /** Drops the current message and the queue unsent, as the kernel does when a master stops. */
  public void discard() {
    if (current != null) {
      free.add(current);
      current = null;
    }
    while (!queue.isEmpty()) {
      free.add(queue.poll());
    }
    sendTimer.cancel();
    flushTimer.cancel();
  }

  /**
   * Messages handed to the sink.
   *
   * @return the count
   */
  public long messagesSent() {
    return messagesSent;
  }

  /**
   * Entries in the messages handed to the sink.
   *
   * @return the count
   */
  public long entriesSent() {
    return entriesSent;
  }

  /**
   * Connections not synced: one-packet ones, and IPv6 ones in v0.
   *
   * @return the count
   */
  public long entriesIgnored() {
    return entriesIgnored;
  }

  /**
   * Messages the sink failed to send.
   *
   * @return the count
   */
  public long sendFailures() {
    return sendFailures;
  }

  /**
   * Messages waiting in the queue, not counting the one being filled.
   *
   * @return the count
   */
  public int queued() {
    return queue.size();
  }

  private void begin() {
    current = free.poll();
    writer.begin(current, 0, config.maxMessageSize(), config.syncId());
    flushTimer.scheduleAt(loop.nanoTime() + flushPeriodNanos);
  }

  private void enqueueCurrent() {
    current.limit(writer.length()).position(0);
    queue.add(current);
    current = null;
    flushTimer.cancel();
    if (queue.size() >= config.wakeupBatch()) {
      sendQueued();
    } else if (queue.size() == 1) {
      sendTimer.scheduleAt(loop.nanoTime() + sendDelayNanos);
    }
  }

  private void sendQueued() {
    sendTimer.cancel();
    ByteBuffer message;
    while ((message = queue.poll()) != null) {
      int entries =
          ByteAccess.getU8(
              message, config.version() == SyncVersion.V1 ? SyncWire.V1_COUNT : SyncWire.V0_COUNT);
      try {
        sink.send(message);
        messagesSent++;
        entriesSent += entries;
      } catch (IOException e) {
        sendFailures++;
        log.warn("IPVS sync message of {} entries not sent: {}", entries, e.toString());
      }
      message.clear();
      free.add(message);
    }
  }
}
