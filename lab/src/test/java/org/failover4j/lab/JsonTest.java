package org.failover4j.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

  @Test
  void readsIpAddrOutput() {
    String text =
        "[{\"ifindex\":2,\"ifname\":\"eth0\",\"flags\":[\"UP\"],\"addr_info\":"
            + "[{\"family\":\"inet\",\"local\":\"192.0.2.11\",\"prefixlen\":24,\"dynamic\":true}]}]";
    List<Object> links = Json.parseArray(text);
    Map<String, Object> link = Json.map(links.get(0));
    assertEquals(2L, link.get("ifindex"));
    Map<String, Object> addr = Json.map(Json.list(link.get("addr_info")).get(0));
    assertEquals("192.0.2.11", addr.get("local"));
    assertEquals(24, Json.number(addr.get("prefixlen")).intValue());
    assertEquals(true, addr.get("dynamic"));
  }

  @Test
  void readsEscapesNumbersAndNull() {
    Map<String, Object> o =
        Json.parseObject("{\"a\":\"x\\\"y\\u0041\",\"b\":-1.5e2,\"c\":null,\"d\":[]}");
    assertEquals("x\"yA", o.get("a"));
    assertEquals(-150.0, o.get("b"));
    assertNull(o.get("c"));
    assertEquals(List.of(), o.get("d"));
  }

  @Test
  void rejectsTrailingGarbage() {
    assertThrows(IllegalArgumentException.class, () -> Json.parse("{} x"));
    assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\":"));
  }
}
