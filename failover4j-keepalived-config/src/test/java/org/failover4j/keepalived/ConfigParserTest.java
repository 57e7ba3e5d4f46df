package org.failover4j.keepalived;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigParserTest {

  private final List<Notice> notices = new ArrayList<>();

  private List<Statement> parse(MemoryFiles files, String configId) {
    return new ConfigParser(files, configId, "inst", notices::add)
        .parse(Path.of("/etc/k/main.conf"));
  }

  private List<Statement> parse(String text) {
    return parse(new MemoryFiles().put("/etc/k/main.conf", text), "lb1");
  }

  private static List<String> words(Statement s) {
    return s.words();
  }

  @Test
  void commentsBangAndHashOutsideQuotesOnly() {
    List<Statement> s =
        parse(
            "! header\nrouter_id a#b ! tail\nscript \"/bin/x # not a comment\" # comment\n"
                + "name a\\#b\n");
    assertEquals(List.of("router_id", "a"), words(s.get(0)));
    assertEquals(List.of("script", "/bin/x # not a comment"), words(s.get(1)));
    assertEquals(List.of("name", "a#b"), words(s.get(2)));
    assertEquals(3, s.get(2).line() - 1);
  }

  @Test
  void bracesSplitAnywhereAndNest() {
    List<Statement> s =
        parse(
            "vrrp_instance VI_1 { state MASTER\n virtual_ipaddress {\n"
                + "192.0.2.1/24 } }\nglobal_defs\n{\n}\n");
    Statement instance = s.get(0);
    assertEquals(List.of("vrrp_instance", "VI_1"), words(instance));
    assertEquals(List.of("state", "MASTER"), words(instance.block().get(0)));
    Statement vip = instance.block().get(1);
    assertEquals(List.of("192.0.2.1/24"), words(vip.block().get(0)));
    assertEquals(3, vip.block().get(0).line());
    assertEquals(0, s.get(1).block().size());
    assertNull(instance.block().get(0).block());
  }

  @Test
  void definitionsReplaceAndRescan() {
    List<Statement> s =
        parse(
            "$IF=eth0\n$PRIO=1${IF_N}\n$IF_N=50\n"
                + "interface $IF\npriority ${IF_N}\nx $PRIO\n$A=$B\n$B=deep\ny $A\nz $_HASH$_BANG\n"
                + "d $_PWD\ni $_INSTANCE\n");
    assertEquals(List.of("interface", "eth0"), words(s.get(0)));
    assertEquals(List.of("priority", "50"), words(s.get(1)));
    assertEquals(List.of("x", "150"), words(s.get(2)));
    assertEquals(List.of("y", "deep"), words(s.get(3)));
    assertEquals(List.of("z"), words(s.get(4)).subList(0, 1));
    assertEquals(List.of("d", "/etc/k"), words(s.get(5)));
    assertEquals(List.of("i", "inst"), words(s.get(6)));
  }

  @Test
  void multiLineDefinitionExpandsIntoLines() {
    List<Statement> s =
        parse(
            "$VIPS=192.0.2.1/24 \\\n  192.0.2.2/24 \\\n 192.0.2.3/24\n"
                + "virtual_ipaddress {\n$VIPS\n}\n");
    List<Statement> block = s.get(0).block();
    assertEquals(3, block.size());
    assertEquals("192.0.2.3/24", block.get(2).keyword());
  }

  @Test
  void conditionalsKeepOnlyTheirConfigId() {
    List<Statement> s = parse("@lb1 a 1\n@lb2 b 2\n@^lb2 c 3\n@^lb1 d 4\n@lb1\n");
    assertEquals(List.of("a", "c"), List.of(s.get(0).keyword(), s.get(1).keyword()));
    assertEquals(2, s.size());
  }

  @Test
  void includesGlobRelativeToTheIncludingFileInSortedOrder() {
    MemoryFiles files =
        new MemoryFiles()
            .put(
                "/etc/k/main.conf",
                "first 1\ninclude conf.d/*.conf\ninclude /etc/k/{x,y}.inc\nlast 9\n")
            .put("/etc/k/conf.d/b.conf", "b 2\ninclude ../sub/c.conf\n")
            .put("/etc/k/conf.d/a.conf", "a 1\n")
            .put("/etc/k/conf.d/.hidden.conf", "hidden 1\n")
            .put("/etc/k/sub/c.conf", "c $_PWD\n")
            .put("/etc/k/y.inc", "y 1\n");
    List<Statement> s = parse(files, "lb1");
    List<String> keywords = s.stream().map(Statement::keyword).toList();
    assertEquals(List.of("first", "a", "b", "c", "y", "last"), keywords);
    assertEquals(Path.of("/etc/k/sub/c.conf"), s.get(3).file());
    assertEquals(List.of("c", "/etc/k/sub"), s.get(3).words());
    assertEquals(1, s.get(3).line());
  }

  @Test
  void aWildcardMatchingNothingIsANoticeAMissingFileAnError() {
    parse(new MemoryFiles().put("/etc/k/main.conf", "include none/*.conf\n"), "lb1");
    assertEquals(1, notices.size());
    KeepalivedConfigException e =
        assertThrows(KeepalivedConfigException.class, () -> parse("a 1\ninclude missing.conf\n"));
    assertEquals(2, e.line());
    assertEquals("include", e.keyword());
  }

  @Test
  void includeRecursionIsBounded() {
    KeepalivedConfigException e =
        assertThrows(
            KeepalivedConfigException.class,
            () -> parse(new MemoryFiles().put("/etc/k/main.conf", "include main.conf\n"), "lb1"));
    assertEquals("include", e.keyword());
    assertTrue(e.getMessage().contains("nest deeper"), e.getMessage());
  }

  @Test
  void endlessDefinitionsAndLongLinesAreRefused() {
    assertThrows(KeepalivedConfigException.class, () -> parse("$A=$A\nx $A\n"));
    assertThrows(KeepalivedConfigException.class, () -> parse("$A=$A$A\nx $A\n"));
    KeepalivedConfigException e =
        assertThrows(KeepalivedConfigException.class, () -> parse("x " + "y".repeat(1100) + "\n"));
    assertEquals(1, e.line());
    assertEquals("x", e.keyword());
  }

  @Test
  void aMultiLineDefinitionUsingItselfIsRefused() {
    // Each expansion ends in $V again, so keepalived would loop for ever (a fuzzing find: its
    // input, multiline-definition-using-itself, is a seed of ConfigParserFuzzTest).
    KeepalivedConfigException grows =
        assertThrows(KeepalivedConfigException.class, () -> parse("$V=\\\n x $V\nx $V\n"));
    assertEquals(3, grows.line());
    KeepalivedConfigException lines =
        assertThrows(KeepalivedConfigException.class, () -> parse("$V=a \\\n b $V\nx $V\n"));
    assertEquals(3, lines.line());
    assertTrue(lines.getMessage().contains("expand without end"), lines.getMessage());
  }

  @Test
  void syntaxErrorsNameFileLineAndKeyword() {
    KeepalivedConfigException extra =
        assertThrows(KeepalivedConfigException.class, () -> parse("a 1\n}\n"));
    assertEquals(2, extra.line());
    assertEquals("}", extra.keyword());
    KeepalivedConfigException open =
        assertThrows(KeepalivedConfigException.class, () -> parse("a 1\nvrrp_instance X {\nb\n"));
    assertEquals(2, open.line());
    assertEquals("vrrp_instance", open.keyword());
    KeepalivedConfigException quote =
        assertThrows(KeepalivedConfigException.class, () -> parse("a 1\nscript \"x\n"));
    assertEquals(Path.of("/etc/k/main.conf"), quote.file());
    assertEquals("script", quote.keyword());
    assertEquals("/etc/k/main.conf:2: script: unterminated quote", quote.getMessage());
    assertThrows(KeepalivedConfigException.class, () -> parse("{\n}\n"));
    assertThrows(KeepalivedConfigException.class, () -> parse("~SEQ(i, 1, 3) x $i\n"));
  }

  @Test
  void scriptsSplitAsKeepalivedSplitsThem() {
    assertEquals(
        List.of("/bin/x", "a b", "c'd", "tab\there"),
        ScriptCommand.split("/bin/x 'a b' \"c'd\" tab\\there"));
    assertEquals(List.of("A", "\u0001"), ScriptCommand.split("\\x41 \\001"));
    assertThrows(IllegalArgumentException.class, () -> ScriptCommand.split("'open"));
  }
}
