package org.failover4j.lab;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The rejection patterns match what keepalived 2.2.7 logs when it drops a packet, and only that.
 */
class KeepalivedLogTest {

  @Test
  void recognisesKeepalivedsRejectionMessages() {
    String[] rejections = {
      "(VI_1) IPSEC-AH : invalid IPSEC HMAC-MD5 value. Due to fields mutation or bad password !",
      "IPSEC AH : invalid IPSEC SPI value. 184680640 and expect 201457856",
      "(VI_1) IPSEC-AH : sequence number 5 already processed. Packet dropped. Local(7)",
      "(VI_1) received a 1 auth, expecting 2!",
      "(VI_1) received an invalid passwd!",
      "(VI_1) No AH header but auth type is AH",
      "(VI_1) Invalid VRRPv3 checksum",
      "(VI_1) invalid TTL/HL. Received 64 and expect 255",
      "(VI_1) wrong version. Received 2 and expect 3",
      "(VI_1) expected 1 VIPs but received 2",
      "(VI_1) advertisement interval mismatch mine=1 sec rcv'd=2 sec",
      "(VI_1) Expected Unicast packet but received Multicast packet",
    };
    for (String line : rejections) {
      assertTrue(Keepalived.isRejection(line), line);
    }
    assertFalse(Keepalived.isRejection("(VI_1) Entering BACKUP STATE"));
    assertFalse(
        Keepalived.isRejection("(VI_1) Received advert from 192.0.2.12 with lower priority 100"));
  }
}
