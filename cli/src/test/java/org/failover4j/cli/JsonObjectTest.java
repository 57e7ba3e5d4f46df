package org.failover4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.failover4j.lab.Json;
import org.junit.jupiter.api.Test;

class JsonObjectTest {

  @Test
  void writesNestedValuesThatParseBack() {
    String line =
        new JsonObject()
            .put("frame", 3)
            .put("proto", "vrrp")
            .put("checksum_ok", true)
            .put("auth_ok", null)
            .putIfPresent("ah_spi", null)
            .put("addresses", List.of("192.0.2.100", "192.0.2.101"))
            .put("in_seq", new JsonObject().put("delta", -5L))
            .put("detail", "quote \" backslash \\ tab \t nul \0")
            .toString();
    Map<String, Object> parsed = Json.parseObject(line);
    assertEquals(3L, parsed.get("frame"));
    assertEquals(true, parsed.get("checksum_ok"));
    assertEquals(
        Arrays.asList("frame", "proto", "checksum_ok", "auth_ok", "addresses", "in_seq", "detail"),
        List.copyOf(parsed.keySet()));
    assertEquals(-5L, Json.map(parsed.get("in_seq")).get("delta"));
    assertEquals("quote \" backslash \\ tab \t nul \0", parsed.get("detail"));
  }

  @Test
  void controlCharactersAreEscapedEvenWhereJsonAllowsThemRaw() {
    String line = new JsonObject().put("pe_name", "\u001b[2J\u007f\u009b\u2028").toString();
    assertEquals("{\"pe_name\":\"\\u001b[2J\\u007f\\u009b\\u2028\"}", line);
    assertEquals("\u001b[2J\u007f\u009b\u2028", Json.parseObject(line).get("pe_name"));
  }
}
