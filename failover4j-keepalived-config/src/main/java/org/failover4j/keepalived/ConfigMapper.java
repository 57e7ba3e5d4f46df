package org.failover4j.keepalived;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.failover4j.api.InvalidConfigurationException;
import org.failover4j.api.address.GratuitousAnnouncements;
import org.failover4j.api.address.VirtualAddress;
import org.failover4j.vrrp.VrrpInstanceConfig;
import org.failover4j.vrrp.codec.HmacAntiReplay;
import org.failover4j.vrrp.codec.HmacAuthentication;
import org.failover4j.vrrp.codec.HmacMode;

/**
 * Maps parsed statements to the VRRP configuration: one handler per supported keyword, in tables
 * per block ({@link #INSTANCE}, {@link #SCRIPT}, ...), so that supporting a keyword is one entry. A
 * keyword in no table is unsupported: an error naming file, line and keyword, or a notice when
 * asked to warn.
 */
final class ConfigMapper {

  /** Handles one statement of a block. */
  private interface Handler<D> {
    void handle(ConfigMapper mapper, Statement s, D draft);
  }

  /** How the error for an interface missing on this host begins. */
  static final String NO_INTERFACE = "no interface on this host named ";

  /** Root keywords that only configure the LVS side: skipped, with one notice in all. */
  private static final Set<String> LVS = Set.of("virtual_server", "virtual_server_group");

  /** global_defs keywords that only configure email alerts or naming, which failover4j lacks. */
  private static final Set<String> IGNORED_GLOBALS =
      Set.of(
          "notification_email",
          "notification_email_from",
          "smtp_server",
          "smtp_connect_timeout",
          "smtp_helo_name",
          "router_id",
          "lvs_id");

  private final boolean warnOnUnsupported;
  private final boolean checkHost;
  private final List<Notice> notices;

  private boolean scriptSecurity;
  private Statement scriptUserStatement;
  private int globalVersion = 2;
  private GratuitousAnnouncements globalAnnouncements = GratuitousAnnouncements.KEEPALIVED_DEFAULTS;
  private final Map<String, ScriptDraft> scripts = new LinkedHashMap<>();
  private final List<InstanceDraft> instances = new ArrayList<>();
  private final Map<String, GroupDraft> groups = new LinkedHashMap<>();
  private int lvsBlocks;
  private Statement firstLvs;
  private boolean emailIgnored;

  ConfigMapper(boolean warnOnUnsupported, boolean checkHost, List<Notice> notices) {
    this.warnOnUnsupported = warnOnUnsupported;
    this.checkHost = checkHost;
    this.notices = notices;
  }

  /** keepalived's default config id: the host name up to its first dot. */
  static String hostConfigId() {
    String name;
    try {
      name = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
    } catch (IOException e) {
      try {
        name = InetAddress.getLocalHost().getHostName();
      } catch (IOException unknown) {
        return null;
      }
    }
    int dot = name.indexOf('.');
    return dot < 0 ? name : name.substring(0, dot);
  }

  KeepalivedConfig map(List<Statement> statements) {
    // keepalived reads global_defs first whatever its position; so do the script definitions.
    for (Statement s : statements) {
      if (s.keyword().equals("global_defs")) {
        block(s, GLOBAL, this);
      }
    }
    for (Statement s : statements) {
      if (s.keyword().equals("vrrp_script")) {
        ScriptDraft script = new ScriptDraft(s, name(s));
        block(s, SCRIPT, script);
        scripts.put(script.name, script);
      }
    }
    for (Statement s : statements) {
      switch (s.keyword()) {
        case "global_defs", "vrrp_script" -> {}
        case "vrrp_instance" -> {
          InstanceDraft draft = new InstanceDraft(s, name(s), globalAnnouncements);
          block(s, INSTANCE, draft);
          instances.add(draft);
        }
        case "vrrp_sync_group" -> {
          GroupDraft group = new GroupDraft(s, name(s));
          block(s, GROUP, group);
          groups.put(group.name, group);
        }
        default -> {
          if (LVS.contains(s.keyword())) {
            if (lvsBlocks++ == 0) {
              firstLvs = s;
            }
          } else {
            unsupported(s);
          }
        }
      }
    }
    if (firstLvs != null) {
      notices.add(
          firstLvs.notice(
              "LVS configuration ignored ("
                  + lvsBlocks
                  + " virtual_server block"
                  + (lvsBlocks == 1 ? "" : "s")
                  + "): failover4j runs the VRRP side only"));
    }
    return result();
  }

  private KeepalivedConfig result() {
    List<VrrpInstanceConfig> configs = new ArrayList<>();
    Map<String, KeepalivedConfig.Notify> instanceNotify = new LinkedHashMap<>();
    for (InstanceDraft d : instances) {
      configs.add(d.build(this));
      if (!d.notify.isEmpty()) {
        instanceNotify.put(d.name, d.notify.build());
      }
    }
    Map<String, List<String>> members = new LinkedHashMap<>();
    Map<String, KeepalivedConfig.Notify> groupNotify = new LinkedHashMap<>();
    Set<String> names = new java.util.HashSet<>();
    instances.forEach(i -> names.add(i.name));
    for (GroupDraft g : groups.values()) {
      if (g.members.size() < 2) {
        throw g.statement.error("needs a group block with two or more instances");
      }
      for (String m : g.members) {
        if (!names.contains(m)) {
          throw g.groupStatement.error("group", "no vrrp_instance named " + m);
        }
      }
      members.put(g.name, List.copyOf(g.members));
      if (!g.notify.isEmpty()) {
        groupNotify.put(g.name, g.notify.build());
      }
    }
    return new KeepalivedConfig(configs, members, instanceNotify, groupNotify, notices);
  }

  // ---- blocks -------------------------------------------------------------------------------

  private <D> void block(Statement s, Map<String, Handler<D>> table, D draft) {
    if (s.block() == null) {
      throw s.error("needs a { } block");
    }
    Set<String> known = KEEPALIVED_KEYWORDS.get(s.keyword());
    for (Statement inner : s.block()) {
      Handler<D> handler = table.get(inner.keyword());
      if (handler == null) {
        if (known != null && !known.contains(inner.keyword())) {
          // Not a keyword of keepalived's either: refused even when only warning.
          throw inner.error("unknown keyword in " + s.keyword() + " (keepalived rejects it too)");
        }
        unsupported(inner);
      } else {
        handler.handle(this, inner, draft);
      }
    }
  }

  /**
   * The keywords keepalived 2.2.7's vrrp_parser.c knows inside these blocks, so that a keyword
   * failover4j lacks is told from a typo.
   */
  private static final Map<String, Set<String>> KEEPALIVED_KEYWORDS =
      Map.of(
          "vrrp_sync_group",
          Set.of(
              "group",
              "track_interface",
              "track_script",
              "track_file",
              "track_process",
              "track_bfd",
              "notify_backup",
              "notify_master",
              "notify_fault",
              "notify_stop",
              "notify",
              "smtp_alert",
              "global_tracking",
              "sync_group_tracking_weight",
              "notify_priority_changes"),
          "vrrp_instance",
          Set.of(
              "use_vmac",
              "use_vmac_addr",
              "vmac_xmit_base",
              "use_ipvlan",
              "unicast_peer",
              "unicast_fault_no_peer",
              "check_unicast_src",
              "old_unicast_checksum",
              "native_ipv6",
              "state",
              "interface",
              "vrf",
              "dont_track_primary",
              "track_interface",
              "track_script",
              "track_file",
              "track_process",
              "track_bfd",
              "mcast_src_ip",
              "unicast_src_ip",
              "mcast_dst_ip",
              "track_src_ip",
              "virtual_router_id",
              "unicast_ttl",
              "version",
              "priority",
              "advert_int",
              "virtual_ipaddress",
              "virtual_ipaddress_excluded",
              "promote_secondaries",
              "linkbeat_use_polling",
              "virtual_routes",
              "virtual_rules",
              "accept",
              "no_accept",
              "skip_check_adv_addr",
              "strict_mode",
              "preempt",
              "nopreempt",
              "preempt_delay",
              "debug",
              "notify_backup",
              "notify_master",
              "notify_fault",
              "notify_stop",
              "notify_deleted",
              "notify",
              "notify_master_rx_lower_pri",
              "smtp_alert",
              "notify_priority_changes",
              "lvs_sync_daemon_interface",
              "garp_master_delay",
              "garp_master_refresh",
              "garp_master_repeat",
              "garp_master_refresh_repeat",
              "garp_lower_prio_delay",
              "garp_lower_prio_repeat",
              "down_timer_adverts",
              "garp_extra_if",
              "vmac_garp_intvl",
              "lower_prio_no_advert",
              "higher_prio_send_advert",
              "kernel_rx_buf_size",
              "authentication",
              // keepalived 2.4: auth_hmac { key, active_key, time_window, anti_replay, mode }
              "auth_hmac"),
          "authentication",
          Set.of("auth_type", "auth_pass"),
          "auth_hmac",
          Set.of("key", "active_key", "anti_replay", "time_window", "mode"),
          "vrrp_script",
          Set.of("script", "interval", "timeout", "weight", "rise", "fall", "user", "init_fail"));

  private void unsupported(Statement s) {
    String problem = "not supported by failover4j";
    if (!warnOnUnsupported) {
      throw s.error(problem);
    }
    notices.add(s.notice(problem + ": skipped"));
  }

  private static String name(Statement s) {
    if (s.argumentCount() != 1) {
      throw s.error("needs exactly one name");
    }
    return s.words().get(1);
  }

  // ---- global_defs --------------------------------------------------------------------------

  private static final Map<String, Handler<ConfigMapper>> GLOBAL = new HashMap<>();

  static {
    for (String ignored : IGNORED_GLOBALS) {
      GLOBAL.put(ignored, (m, s, self) -> m.emailIgnored(s));
    }
    GLOBAL.put("enable_script_security", (m, s, self) -> m.scriptSecurity = flag(s, true));
    GLOBAL.put(
        "script_user",
        (m, s, self) -> {
          arguments(s, 1, 2);
          m.scriptUserStatement = s;
        });
    GLOBAL.put("vrrp_version", (m, s, self) -> m.globalVersion = integer(s, 1, 2, 3));
    GLOBAL.put(
        "vrrp_garp_master_delay",
        (m, s, self) -> m.globalAnnouncements = withDelay(m.globalAnnouncements, s));
    GLOBAL.put(
        "vrrp_garp_master_repeat",
        (m, s, self) -> m.globalAnnouncements = withRepeat(m.globalAnnouncements, s));
    GLOBAL.put(
        "vrrp_garp_master_refresh",
        (m, s, self) -> m.globalAnnouncements = withRefresh(m.globalAnnouncements, s));
    GLOBAL.put(
        "vrrp_garp_master_refresh_repeat",
        (m, s, self) -> m.globalAnnouncements = withRefreshRepeat(m.globalAnnouncements, s));
  }

  /** One notice for every email setting: failover4j sends none. */
  private void emailIgnored(Statement s) {
    if (!emailIgnored) {
      emailIgnored = true;
      notices.add(
          s.notice(
              "ignored, with the other email (smtp_*, notification_email*) and router_id"
                  + " settings: failover4j sends no email alerts"));
    }
  }

  // ---- vrrp_script --------------------------------------------------------------------------

  /** A {@code vrrp_script} as read. */
  private static final class ScriptDraft {
    final Statement statement;
    final String name;
    Statement script;
    Duration interval = Duration.ofSeconds(1);
    Duration timeout;
    int weight;
    int rise = 1;
    int fall = 1;
    Statement user;
    boolean initFail;

    ScriptDraft(Statement statement, String name) {
      this.statement = statement;
      this.name = name;
    }
  }

  private static final Map<String, Handler<ScriptDraft>> SCRIPT = new HashMap<>();

  static {
    SCRIPT.put("script", (m, s, d) -> d.script = s);
    SCRIPT.put(
        "interval", (m, s, d) -> d.interval = Duration.ofSeconds(integer(s, 1, 1, 3600 * 24)));
    SCRIPT.put("timeout", (m, s, d) -> d.timeout = Duration.ofSeconds(integer(s, 1, 1, 3600 * 24)));
    SCRIPT.put(
        "weight",
        (m, s, d) -> {
          arguments(s, 1, 1);
          d.weight = integer(s, 1, -253, 253);
        });
    SCRIPT.put("rise", (m, s, d) -> d.rise = integer(s, 1, 1, 1_000_000));
    SCRIPT.put("fall", (m, s, d) -> d.fall = integer(s, 1, 1, 1_000_000));
    SCRIPT.put(
        "user",
        (m, s, d) -> {
          arguments(s, 1, 2);
          d.user = s;
        });
    SCRIPT.put(
        "init_fail",
        (m, s, d) -> {
          arguments(s, 0, 0);
          d.initFail = true;
        });
  }

  // ---- vrrp_instance ------------------------------------------------------------------------

  /** Collects notify_* statements for an instance or a group. */
  private static final class NotifyDraft {
    final Map<String, ScriptCommand> scripts = new HashMap<>();

    boolean isEmpty() {
      return scripts.isEmpty();
    }

    KeepalivedConfig.Notify build() {
      return new KeepalivedConfig.Notify(
          scripts.get("notify_master"),
          scripts.get("notify_backup"),
          scripts.get("notify_fault"),
          scripts.get("notify_stop"),
          scripts.get("notify"));
    }
  }

  /** A {@code vrrp_instance} as read, and the statement behind each builder field. */
  private static final class InstanceDraft {
    final Statement statement;
    final String name;
    final VrrpInstanceConfig.Builder builder;
    final Map<String, Statement> source = new HashMap<>();
    final NotifyDraft notify = new NotifyDraft();
    final List<VirtualAddress> addresses = new ArrayList<>();
    GratuitousAnnouncements announcements;
    String iface;
    Integer vrid;
    Integer version;
    Integer priority;
    boolean wantsMaster;
    boolean unicast;
    Statement auth;
    HmacAuthentication.Builder hmac;

    InstanceDraft(Statement statement, String name, GratuitousAnnouncements announcements) {
      this.statement = statement;
      this.name = name;
      this.builder = VrrpInstanceConfig.builder(name);
      this.announcements = announcements;
    }

    VrrpInstanceConfig build(ConfigMapper m) {
      boolean ipv6 = !addresses.isEmpty() && addresses.get(0).isIpv6();
      // keepalived's defaults: VRRPv2 unless configured (IPv6 forces 3); priority from state.
      int v = version != null ? version : ipv6 ? 3 : m.globalVersion;
      builder.version(v);
      builder.priority(priority != null ? priority : wantsMaster ? 255 : 100);
      addresses.forEach(builder::virtualAddress);
      builder.announcements(announcements);
      Statement sourceIp = source.get("unicast_src_ip");
      if (sourceIp != null && !unicast) {
        throw sourceIp.error(
            "only with unicast_peer: failover4j sends multicast adverts from the"
                + " interface's primary address");
      }
      try {
        return builder.build();
      } catch (InvalidConfigurationException e) {
        Statement at = source.getOrDefault(fieldKeyword(e.field()), statement);
        String keyword = at == statement ? fieldKeyword(e.field()) : at.keyword();
        throw at.error(keyword, e.problem());
      }
    }
  }

  /** The keepalived keyword behind a builder field a validation names. */
  private static String fieldKeyword(String field) {
    return switch (field) {
      case "iface" -> "interface";
      case "vrid" -> "virtual_router_id";
      case "virtualAddress", "virtualAddresses" -> "virtual_ipaddress";
      case "excludedAddress" -> "virtual_ipaddress_excluded";
      case "preemptDelay" -> "preempt_delay";
      case "virtualMacName" -> "use_vmac";
      case "unicastSource" -> "unicast_src_ip";
      case "unicastPeers" -> "unicast_peer";
      case "interval", "advertInterval" -> "advert_int";
      case "authType", "authPassword" -> "authentication";
      case "garp", "garpRepeat", "garpRefreshRepeat" -> "garp_master_repeat";
      default -> field;
    };
  }

  // ---- authentication -----------------------------------------------------------------------

  private static final Map<String, Handler<InstanceDraft>> AUTH = new HashMap<>();

  static {
    AUTH.put(
        "auth_type",
        (m, s, d) -> {
          String type = word(s, 1);
          if (!type.equals("PASS") && !type.equals("AH")) {
            throw s.error("must be PASS or AH, was " + type);
          }
          d.auth = s;
        });
    AUTH.put(
        "auth_pass",
        (m, s, d) -> {
          arguments(s, 1, 1);
          d.source.put("auth_pass", s);
        });
  }

  // ---- auth_hmac (keepalived 2.4) -----------------------------------------------------------

  private static final Map<String, Handler<InstanceDraft>> HMAC = new HashMap<>();

  static {
    HMAC.put(
        "key",
        (m, s, d) -> {
          arguments(s, 2, 2);
          int id = integer(s, 1, 1, 255);
          // keepalived's forms: hex:HEX, file:PATH (the value read from a file) or text.
          d.hmac.key(id, m.hmacKeyValue(s, s.words().get(2)));
        });
    HMAC.put("active_key", (m, s, d) -> d.hmac.activeKey(integer(s, 1, 1, 255)));
    HMAC.put("anti_replay", (m, s, d) -> d.hmac.antiReplay(HmacAntiReplay.parse(word(s, 1))));
    HMAC.put(
        "time_window",
        (m, s, d) ->
            d.hmac.timeWindow(
                java.time.Duration.ofSeconds(
                    integer(
                        s,
                        1,
                        HmacAuthentication.MIN_WINDOW_SECONDS,
                        HmacAuthentication.MAX_WINDOW_SECONDS))));
    HMAC.put("mode", (m, s, d) -> d.hmac.mode(HmacMode.parse(word(s, 1))));
  }

  /** A key's bytes from its configured value; never puts the value in an error. */
  private byte[] hmacKeyValue(Statement s, String value) {
    if (!value.startsWith("file:")) {
      return HmacAuthentication.decodeKey(value);
    }
    Path file = s.file().resolveSibling(value.substring("file:".length()));
    try {
      // As keepalived: the file holds the value (hex: or text); a final newline is not part of it.
      return HmacAuthentication.decodeKey(Files.readString(file).strip());
    } catch (IOException e) {
      throw s.error("cannot read the key file " + file + ": " + e.getClass().getSimpleName());
    }
  }

  private void applyAuthHmac(Statement block, InstanceDraft d) {
    if (d.source.containsKey("authentication")) {
      throw block.error("cannot be used with an authentication block (keepalived refuses both)");
    }
    d.hmac = HmacAuthentication.builder();
    try {
      block(block, HMAC, d);
      d.builder.authHmac(d.hmac.build());
    } catch (KeepalivedConfigException e) {
      throw e;
    } catch (InvalidConfigurationException e) {
      throw block.error(e.problem());
    }
  }

  private static final Map<String, Handler<InstanceDraft>> INSTANCE = new HashMap<>();

  static {
    INSTANCE.put(
        "state",
        (m, s, d) -> {
          String state = word(s, 1);
          if (!state.equals("MASTER") && !state.equals("BACKUP")) {
            throw s.error("must be MASTER or BACKUP, was " + state);
          }
          d.wantsMaster = state.equals("MASTER");
        });
    INSTANCE.put(
        "interface",
        (m, s, d) -> {
          arguments(s, 1, 1);
          d.iface = word(s, 1);
          if (m.checkHost && !hasInterface(d.iface)) {
            throw s.error(NO_INTERFACE + d.iface);
          }
          d.builder.iface(d.iface);
          d.source.put("interface", s);
        });
    INSTANCE.put(
        "virtual_router_id",
        (m, s, d) -> {
          d.vrid = integer(s, 1, 1, 255);
          d.builder.vrid(d.vrid);
        });
    INSTANCE.put(
        "priority",
        (m, s, d) -> {
          d.priority = integer(s, 1, 1, 255);
          d.source.put("priority", s);
        });
    INSTANCE.put(
        "advert_int",
        (m, s, d) -> {
          d.builder.advertInterval(seconds(s, new BigDecimal("0.01"), new BigDecimal(255)));
          d.source.put("advert_int", s);
        });
    INSTANCE.put(
        "version",
        (m, s, d) -> {
          d.version = integer(s, 1, 2, 3);
          d.source.put("version", s);
        });
    INSTANCE.put(
        "nopreempt",
        (m, s, d) -> {
          arguments(s, 0, 0);
          d.builder.noPreempt();
        });
    INSTANCE.put(
        "preempt_delay",
        (m, s, d) -> {
          d.builder.preemptDelay(seconds(s, BigDecimal.ZERO, new BigDecimal(1000)));
          d.source.put("preempt_delay", s);
        });
    INSTANCE.put(
        "virtual_ipaddress",
        (m, s, d) -> {
          d.source.put("virtual_ipaddress", s);
          for (Statement line : valueBlock(s)) {
            d.addresses.add(m.virtualAddress(line, "virtual_ipaddress"));
          }
        });
    INSTANCE.put(
        "virtual_ipaddress_excluded",
        (m, s, d) -> {
          // Held and announced with the virtual addresses, left out of the adverts.
          d.source.put("virtual_ipaddress_excluded", s);
          for (Statement line : valueBlock(s)) {
            d.builder.excludedAddress(m.virtualAddress(line, "virtual_ipaddress_excluded"));
          }
        });
    INSTANCE.put(
        "track_interface",
        (m, s, d) -> {
          for (Statement line : valueBlock(s)) {
            int weight = trackWeight(line);
            try {
              d.builder.trackInterface(line.keyword(), weight);
            } catch (InvalidConfigurationException e) {
              throw line.error(e.problem());
            }
          }
        });
    INSTANCE.put(
        "track_script",
        (m, s, d) -> {
          for (Statement line : valueBlock(s)) {
            m.trackScript(line, d);
          }
        });
    INSTANCE.put(
        "unicast_src_ip",
        (m, s, d) -> {
          d.builder.unicastSource(address(s, 1));
          d.source.put("unicast_src_ip", s);
        });
    INSTANCE.put(
        "unicast_peer",
        (m, s, d) -> {
          d.source.put("unicast_peer", s);
          d.unicast = true;
          for (Statement line : valueBlock(s)) {
            if (line.argumentCount() != 0) {
              throw line.error(
                  line.words().get(1), "not supported by failover4j (only the peer's address)");
            }
            d.builder.unicastPeer(address(line, 0));
          }
        });
    INSTANCE.put(
        "use_vmac",
        (m, s, d) -> {
          // keepalived 2.2.7 takes a macvlan name, a MAC (the word with a ':', which no interface
          // name has) or both; without a name the macvlan is vrrp.VRID.
          arguments(s, 0, 2);
          d.source.put("use_vmac", s);
          String name = null;
          for (String word : s.words().subList(1, s.words().size())) {
            if (word.contains(":")) {
              throw s.error(
                  word,
                  "a MAC of the instance's own is not supported by failover4j (it uses"
                      + " 00:00:5e:00:01:VRID, or 00:02 for IPv6)");
            }
            if (name != null) {
              throw s.error(word, "the virtual MAC interface is already named " + name);
            }
            name = word;
          }
          if (name == null) {
            d.builder.virtualMac(true);
          } else {
            d.builder.virtualMac(name);
          }
        });
    INSTANCE.put(
        "authentication",
        (m, s, d) -> {
          if (d.source.containsKey("auth_hmac")) {
            throw s.error("cannot be used with auth_hmac (keepalived refuses both)");
          }
          d.source.put("authentication", s);
          m.block(s, AUTH, d);
          m.applyAuth(s, d);
        });
    INSTANCE.put(
        "auth_hmac",
        (m, s, d) -> {
          if (s.block() == null) {
            throw s.error("needs a { } block");
          }
          m.applyAuthHmac(s, d);
          d.source.put("auth_hmac", s);
        });
    INSTANCE.put("garp_master_delay", (m, s, d) -> d.announcements = withDelay(d.announcements, s));
    INSTANCE.put(
        "garp_master_repeat", (m, s, d) -> d.announcements = withRepeat(d.announcements, s));
    INSTANCE.put(
        "garp_master_refresh", (m, s, d) -> d.announcements = withRefresh(d.announcements, s));
    INSTANCE.put(
        "garp_master_refresh_repeat",
        (m, s, d) -> d.announcements = withRefreshRepeat(d.announcements, s));
    INSTANCE.put(
        "lower_prio_no_advert", (m, s, d) -> d.builder.lowerPriorityNoAdvert(flag(s, true)));
    for (String notify :
        List.of("notify_master", "notify_backup", "notify_fault", "notify_stop", "notify")) {
      INSTANCE.put(notify, (m, s, d) -> m.notifyScript(s, d.notify));
    }
    INSTANCE.put("smtp_alert", (m, s, d) -> m.emailIgnored(s));
  }

  private void applyAuth(Statement block, InstanceDraft d) {
    Statement pass = d.source.get("auth_pass");
    if (d.auth == null || pass == null) {
      throw block.error("needs both auth_type and auth_pass");
    }
    String secret = pass.words().get(1);
    if (secret.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 8) {
      // keepalived truncates it to 8 and reports an error: refuse rather than guess.
      throw pass.error("must be 1..8 bytes (keepalived would truncate it)");
    }
    if (d.auth.words().get(1).equals("PASS")) {
      d.builder.authPassword(secret);
    } else {
      d.builder.authAh(secret);
    }
  }

  // ---- vrrp_sync_group ----------------------------------------------------------------------

  /** A {@code vrrp_sync_group} as read. */
  private static final class GroupDraft {
    final Statement statement;
    final String name;
    final List<String> members = new ArrayList<>();
    final NotifyDraft notify = new NotifyDraft();
    Statement groupStatement;

    GroupDraft(Statement statement, String name) {
      this.statement = statement;
      this.name = name;
    }
  }

  private static final Map<String, Handler<GroupDraft>> GROUP = new HashMap<>();

  static {
    GROUP.put(
        "group",
        (m, s, g) -> {
          g.groupStatement = s;
          for (Statement line : valueBlock(s)) {
            for (String word : line.words()) {
              g.members.add(word);
            }
          }
        });
    for (String notify :
        List.of("notify_master", "notify_backup", "notify_fault", "notify_stop", "notify")) {
      GROUP.put(notify, (m, s, g) -> m.notifyScript(s, g.notify));
    }
    GROUP.put("smtp_alert", (m, s, g) -> m.emailIgnored(s));
  }

  // ---- values -------------------------------------------------------------------------------

  /**
   * One line of virtual_ipaddress: {@code ADDRESS[/LEN] [dev IF] [scope SCOPE] [label LABEL]}, as
   * keepalived's parse_ipaddress() reads it: {@code dev} places the address on that interface
   * whatever the instance's interface or virtual MAC, {@code scope} and {@code label} are IPv4 only
   * (keepalived drops them from an IPv6 address with an error; this refuses them). Any other option
   * is refused.
   */
  private VirtualAddress virtualAddress(Statement line, String block) {
    VirtualAddress address;
    try {
      address = VirtualAddress.parse(line.keyword());
    } catch (InvalidConfigurationException e) {
      throw line.error(block, e.problem());
    }
    List<String> w = line.words();
    Set<String> given = new HashSet<>();
    for (int i = 1; i < w.size(); i += 2) {
      String option = w.get(i);
      if (!PLACEMENT.contains(option)) {
        throw line.error(option, "not supported by failover4j");
      }
      if (i + 1 >= w.size()) {
        throw line.error(option, "needs a value");
      }
      if (!given.add(option)) {
        throw line.error(option, "given twice");
      }
      String value = w.get(i + 1);
      try {
        address =
            switch (option) {
              case "dev" -> {
                if (checkHost && !hasInterface(value)) {
                  throw line.error("dev", NO_INTERFACE + value);
                }
                yield address.onDevice(value);
              }
              case "scope" -> address.withScope(VirtualAddress.Scope.parse(value));
              default -> address.withLabel(value);
            };
      } catch (InvalidConfigurationException e) {
        throw line.error(option, e.problem());
      }
    }
    return address;
  }

  /** The virtual_ipaddress options that place an address. */
  private static final Set<String> PLACEMENT = Set.of("dev", "scope", "label");

  /** {@code NAME [weight W]} in a track_script block. */
  private void trackScript(Statement line, InstanceDraft d) {
    ScriptDraft script = scripts.get(line.keyword());
    if (script == null) {
      throw line.error("no vrrp_script named " + line.keyword());
    }
    int weight = line.argumentCount() == 0 ? script.weight : trackWeight(line);
    if (script.script == null) {
      throw script.statement.error("needs a script");
    }
    ScriptCommand command = scriptCommand(script.script, script.user);
    Duration timeout = script.timeout == null ? script.interval : script.timeout;
    ScriptCheck check =
        new ScriptCheck(script.name, command, timeout, script.rise, script.fall, script.initFail);
    try {
      d.builder.trackCheck(script.name, weight, check, script.interval);
    } catch (InvalidConfigurationException e) {
      throw line.error(e.problem());
    }
  }

  /** {@code weight W} after a tracked name: -254..254; {@code reverse} is not supported. */
  private static int trackWeight(Statement line) {
    if (line.argumentCount() == 0) {
      return 0;
    }
    if (line.argumentCount() == 3 && line.words().get(3).equals("reverse")) {
      throw line.error("reverse", "not supported by failover4j");
    }
    if (line.argumentCount() != 2 || !line.words().get(1).equals("weight")) {
      throw line.error(line.words().get(1), "expected 'weight N'");
    }
    return integer(line, 2, -254, 254);
  }

  /** {@code notify_* SCRIPT [USER [GROUP]]}. */
  private void notifyScript(Statement s, NotifyDraft notify) {
    arguments(s, 1, 3);
    if (notify.scripts.containsKey(s.keyword())) {
      throw s.error("given twice");
    }
    notify.scripts.put(s.keyword(), scriptCommand(s, s.argumentCount() > 1 ? s : null, 2));
  }

  private ScriptCommand scriptCommand(Statement script, Statement user) {
    return scriptCommand(script, user, 1);
  }

  /**
   * The command of {@code script}'s second word, run as the user {@code user} names from its word
   * {@code userWord} on (else script_user, else keepalived_script if it exists, else this process's
   * user), with keepalived's checks.
   */
  private ScriptCommand scriptCommand(Statement script, Statement user, int userWord) {
    arguments(script, 1, script == user ? 3 : 1);
    List<String> argv;
    try {
      argv = ScriptCommand.split(script.words().get(1));
    } catch (IllegalArgumentException e) {
      throw script.error(e.getMessage());
    }
    if (argv.isEmpty()) {
      throw script.error("needs a script");
    }
    ScriptUser runAs = scriptUser(script, user, userWord);
    if (!checkHost) {
      return new ScriptCommand(argv, runAs);
    }
    Path program = ScriptCommand.resolve(argv.get(0));
    if (program == null || !Files.isRegularFile(program) || !Files.isExecutable(program)) {
      throw script.error(argv.get(0) + " is not an executable file");
    }
    if (runAs.isRoot()) {
      String insecure;
      try {
        insecure = ScriptCommand.insecurity(program);
      } catch (IOException e) {
        throw script.error(argv.get(0) + ": " + e.getMessage());
      }
      if (insecure != null) {
        if (scriptSecurity) {
          throw new ScriptSecurityException(
              script.file(),
              script.line(),
              script.keyword(),
              "runs as root but " + insecure + " (enable_script_security refuses it)");
        }
        notices.add(
            script.notice(
                "runs as root but "
                    + insecure
                    + "; keepalived warns the same, enable_script_security refuses it"));
      }
    }
    List<String> resolved = new ArrayList<>(argv);
    resolved.set(0, program.toString());
    return new ScriptCommand(resolved, runAs);
  }

  private ScriptUser scriptUser(Statement script, Statement user, int userWord) {
    Statement from = user != null ? user : scriptUserStatement;
    int word = user != null ? userWord : 1;
    try {
      if (from != null) {
        String group = from.words().size() > word + 1 ? from.words().get(word + 1) : null;
        return ScriptUser.lookup(from.words().get(word), group);
      }
      if (ScriptUser.exists(ScriptUser.KEEPALIVED_DEFAULT)) {
        return ScriptUser.lookup(ScriptUser.KEEPALIVED_DEFAULT, null);
      }
    } catch (IllegalArgumentException e) {
      throw (from != null ? from : script).error(e.getMessage());
    }
    return ScriptUser.current();
  }

  private static boolean hasInterface(String name) {
    try {
      return java.net.NetworkInterface.getByName(name) != null;
    } catch (java.net.SocketException e) {
      return false;
    }
  }

  // ---- small readers ------------------------------------------------------------------------

  private static List<Statement> valueBlock(Statement s) {
    if (s.block() == null) {
      throw s.error("needs a { } block");
    }
    for (Statement line : s.block()) {
      if (line.block() != null) {
        throw line.error("unexpected block");
      }
    }
    return s.block();
  }

  private static void arguments(Statement s, int min, int max) {
    int n = s.argumentCount();
    if (n < min || n > max) {
      throw s.error(
          min == max
              ? "takes " + min + " argument" + (min == 1 ? "" : "s") + ", has " + n
              : "takes " + min + ".." + max + " arguments, has " + n);
    }
    if (s.block() != null) {
      throw s.error("takes no block");
    }
  }

  private static String word(Statement s, int index) {
    arguments(s, index, index);
    return s.words().get(index);
  }

  private static int integer(Statement s, int index, int min, int max) {
    String text = s.words().size() > index ? s.words().get(index) : null;
    if (text == null || !text.matches("[+-]?\\d{1,10}")) {
      throw s.error("needs a whole number in " + min + ".." + max + ", was " + text);
    }
    long value = Long.parseLong(text);
    if (value < min || value > max) {
      throw s.error("must be in " + min + ".." + max + ", was " + text);
    }
    return (int) value;
  }

  /** keepalived's decimal seconds ({@code 1}, {@code 0.5}, {@code 2.25}), to the microsecond. */
  private static Duration seconds(Statement s, BigDecimal min, BigDecimal max) {
    String text = word(s, 1);
    if (!text.matches("\\d{1,6}(\\.\\d{1,6})?")) {
      throw s.error("needs seconds such as 1 or 0.5, was " + text);
    }
    BigDecimal value = new BigDecimal(text);
    if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      throw s.error("must be in " + min.toPlainString() + ".." + max + " s, was " + text);
    }
    return Duration.ofNanos(value.movePointRight(9).longValueExact());
  }

  private static InetAddress address(Statement s, int index) {
    String text = s.words().size() > index ? s.words().get(index) : "";
    if (index > 0) {
      arguments(s, index, index);
    }
    boolean literal =
        text.matches("\\d{1,3}(\\.\\d{1,3}){3}")
            || (text.matches("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*") && text.length() <= 45);
    try {
      if (literal) {
        return InetAddress.getByName(text);
      }
    } catch (java.net.UnknownHostException e) {
      // falls through to the error
    }
    throw s.error("not an IP address literal: " + text);
  }

  /** keepalived's check_true_false(); a keyword alone means {@code dflt}. */
  private static boolean flag(Statement s, boolean dflt) {
    arguments(s, 0, 1);
    if (s.argumentCount() == 0) {
      return dflt;
    }
    return switch (s.words().get(1).toLowerCase(Locale.ROOT)) {
      case "true", "on", "yes" -> true;
      case "false", "off", "no" -> false;
      default -> throw s.error("must be true/false, on/off or yes/no, was " + s.words().get(1));
    };
  }

  private static GratuitousAnnouncements withDelay(GratuitousAnnouncements g, Statement s) {
    return new GratuitousAnnouncements(
        Duration.ofSeconds(integer(s, 1, 0, 3600)), g.repeat(), g.refresh(), g.refreshRepeat());
  }

  private static GratuitousAnnouncements withRepeat(GratuitousAnnouncements g, Statement s) {
    return new GratuitousAnnouncements(
        g.delay(), integer(s, 1, 1, 100), g.refresh(), g.refreshRepeat());
  }

  private static GratuitousAnnouncements withRefresh(GratuitousAnnouncements g, Statement s) {
    return new GratuitousAnnouncements(
        g.delay(), g.repeat(), Duration.ofSeconds(integer(s, 1, 0, 86400)), g.refreshRepeat());
  }

  private static GratuitousAnnouncements withRefreshRepeat(GratuitousAnnouncements g, Statement s) {
    return new GratuitousAnnouncements(g.delay(), g.repeat(), g.refresh(), integer(s, 1, 1, 100));
  }
}
