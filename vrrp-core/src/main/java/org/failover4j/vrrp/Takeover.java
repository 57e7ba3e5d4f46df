package org.failover4j.vrrp;

import java.time.Duration;
import org.failover4j.api.TransitionReason;

/**
 * How long one takeover took, on the event loop's clock, from the moment the instance decided to
 * become master (its Master_Down or preemption timer expired, or it started as the address owner):
 * until its first advert was sent, until its virtual addresses were added, and until the first
 * round of gratuitous ARPs / unsolicited NAs was sent. The order is keepalived's: advert,
 * addresses, announcements.
 *
 * @param reason why it became master
 * @param advertSent until the first advert as master went out
 * @param addressesAdded until every virtual address was added
 * @param announced until the first announcement round was sent
 */
public record Takeover(
    TransitionReason reason, Duration advertSent, Duration addressesAdded, Duration announced) {}
