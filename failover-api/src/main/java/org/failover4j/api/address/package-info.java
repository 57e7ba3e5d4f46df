/**
 * Holding virtual addresses, written once below the election protocols (VRRP and CARP both use it):
 * {@link org.failover4j.api.address.AddressHolder} adds them (on a virtual MAC if asked) with
 * retry, releases them, restores what others removed, follows a re-created interface, clears what a
 * crashed run left, refuses the host's own addresses, announces on an {@link
 * org.failover4j.api.address.AnnouncementSchedule} and answers another master at a bounded rate.
 * {@link org.failover4j.api.address.VirtualAddress} is the validated address it holds.
 */
package org.failover4j.api.address;
