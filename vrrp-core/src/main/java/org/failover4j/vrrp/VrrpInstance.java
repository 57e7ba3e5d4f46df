package org.failover4j.vrrp;

import org.failover4j.api.BeforeTakeoverHooks;
import org.failover4j.api.RoleObservable;
import org.failover4j.vrrp.codec.HmacAuthentication;

/**
 * One running VRRP instance of a {@link VrrpRouter}: follow its role with listeners or {@link
 * #awaitRole}, read its counters, change its priority, run work before it adds the virtual
 * addresses ({@link #addBeforeTakeover}). Every method is thread-safe.
 */
public interface VrrpInstance extends RoleObservable, BeforeTakeoverHooks {

  /** {@return the instance's name} */
  String name();

  /** {@return its configuration} */
  VrrpInstanceConfig config();

  /** {@return the priority it advertises now: configured, adjusted by tracking} */
  int effectivePriority();

  /**
   * Changes the configured priority at run time (1..254; the owner's 255 cannot be set or left).
   * Tracking weights still apply on top; the next advert carries the new value.
   *
   * @param priority the new configured priority, 1..254
   */
  void setPriority(int priority);

  /**
   * Gives up mastership on the application's own initiative (its service failed to start, or is
   * being drained): the instance leaves for FAULT with reason {@code relinquished}, sending
   * priority 0 if it was master so a peer takes over at once, and stays out of the election until
   * {@link #rejoin()}. Works before {@code start()} too: the instance then starts in FAULT.
   */
  void relinquish();

  /** Takes part in the election again after {@link #relinquish()}, as a backup first. */
  void rejoin();

  /**
   * Calls {@code listener} after each takeover with how long its steps took (see {@link Takeover}).
   * It runs on the event loop and must return quickly: record a metric, do not block.
   *
   * @param listener called with each takeover's timings
   */
  void addTakeoverListener(java.util.function.Consumer<Takeover> listener);

  /** {@return a snapshot of its counters} */
  VrrpStatistics statistics();

  /**
   * keepalived's reload of {@code auth_hmac}: new keys, active key or mode take effect on the event
   * loop without a role change; the send sequence and the replay marks carry over. {@link
   * #config()} keeps describing the configuration the instance was built with.
   *
   * @param hmac the new keys and modes, or null to stop signing and verifying
   * @throws org.failover4j.api.InvalidConfigurationException when the instance uses VRRPv2
   *     authentication, which {@code auth_hmac} replaces
   */
  void reloadAuthHmac(HmacAuthentication hmac);
}
