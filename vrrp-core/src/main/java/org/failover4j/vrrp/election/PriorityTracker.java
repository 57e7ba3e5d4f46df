package org.failover4j.vrrp.election;

import java.util.ArrayList;
import java.util.List;
import org.failover4j.api.InvalidConfigurationException;

/**
 * Turns tracked objects (interfaces, health checks) into an effective priority and a fault flag,
 * the way keepalived weighs them.
 *
 * <ul>
 *   <li>weight &gt; 0: added to the priority while the object is up;
 *   <li>weight &lt; 0: added (so subtracted) while the object is down;
 *   <li>weight 0: the object being down is a fault: the instance enters FAULT.
 * </ul>
 *
 * The result is clamped to 1..254; an address owner (255) keeps 255 whatever happens.
 */
public final class PriorityTracker {

  private record Tracked(String name, int weight) {}

  private int basePriority;
  private final List<Tracked> tracked = new ArrayList<>();
  private final List<Boolean> up = new ArrayList<>();

  /**
   * Tracks nothing yet: the effective priority is {@code basePriority}.
   *
   * @param basePriority the configured priority
   */
  public PriorityTracker(int basePriority) {
    this.basePriority =
        InvalidConfigurationException.requireInRange("priority", basePriority, 1, 255);
  }

  /**
   * Changes the configured priority (1..254; an owner's 255 cannot be changed).
   *
   * @param priority the new configured priority
   */
  public void setBase(int priority) {
    if (basePriority == ElectionConfig.OWNER_PRIORITY) {
      throw new IllegalStateException("the address owner's priority is fixed at 255");
    }
    basePriority = InvalidConfigurationException.requireInRange("priority", priority, 1, 254);
  }

  /**
   * Tracks one more object.
   *
   * @param name what is tracked, for logs
   * @param initiallyUp whether it is up now
   * @param weight -254..254; 0 makes its failure a fault
   * @return the handle to report its state with
   */
  public int track(String name, int weight, boolean initiallyUp) {
    InvalidConfigurationException.requireInRange("weight of " + name, weight, -254, 254);
    tracked.add(new Tracked(name, weight));
    up.add(initiallyUp);
    return tracked.size() - 1;
  }

  /**
   * Records the state of a tracked object.
   *
   * @param handle the handle {@link #track} returned
   * @param isUp whether it is up
   * @return true when the effective priority or the fault flag changed
   */
  public boolean set(int handle, boolean isUp) {
    int before = effectivePriority();
    boolean faultBefore = isFaulty();
    up.set(handle, isUp);
    return before != effectivePriority() || faultBefore != isFaulty();
  }

  /**
   * {@return the configured priority adjusted by the weights, clamped to 1..254 (255 stays 255)}
   */
  public int effectivePriority() {
    if (basePriority == ElectionConfig.OWNER_PRIORITY) {
      return basePriority;
    }
    int priority = basePriority;
    for (int i = 0; i < tracked.size(); i++) {
      int weight = tracked.get(i).weight();
      boolean isUp = up.get(i);
      if ((weight > 0 && isUp) || (weight < 0 && !isUp)) {
        priority += weight;
      }
    }
    return Math.max(1, Math.min(254, priority));
  }

  /** {@return true while an object tracked with weight 0 is down} */
  public boolean isFaulty() {
    return firstFault() != null;
  }

  /** {@return the name of the first weight-0 object that is down, or null} */
  public String firstFault() {
    for (int i = 0; i < tracked.size(); i++) {
      if (tracked.get(i).weight() == 0 && !up.get(i)) {
        return tracked.get(i).name();
      }
    }
    return null;
  }

  /**
   * {@return the name of a tracked object}
   *
   * @param handle the handle {@link #track} returned
   */
  public String name(int handle) {
    return tracked.get(handle).name();
  }
}
