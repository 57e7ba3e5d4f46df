package org.failover4j.lab;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A keepalived.conf built from Java values: global definitions, VRRP instances and sync groups.
 * {@link #render()} writes the text keepalived 2.2.7 reads.
 */
public final class KeepalivedConfig {

  private final String routerId;
  private final List<String> globalLines = new ArrayList<>();
  private final List<Instance> instances = new ArrayList<>();
  private final Map<String, List<String>> syncGroups = new LinkedHashMap<>();

  /** A configuration whose {@code router_id} is {@code routerId}. */
  public KeepalivedConfig(String routerId) {
    this.routerId = routerId;
  }

  /** Adds a raw line to {@code global_defs}, such as {@code vrrp_garp_master_delay 1}. */
  public KeepalivedConfig global(String line) {
    globalLines.add(line);
    return this;
  }

  /** Adds a VRRP instance and returns it for further settings. */
  public Instance instance(String name) {
    Instance instance = new Instance(name);
    instances.add(instance);
    return instance;
  }

  /** Adds a {@code vrrp_sync_group} of the named instances. */
  public KeepalivedConfig syncGroup(String name, String... members) {
    syncGroups.put(name, List.of(members));
    return this;
  }

  /** The instances added so far. */
  public List<Instance> instances() {
    return List.copyOf(instances);
  }

  /** The configuration file's text. */
  public String render() {
    StringBuilder out = new StringBuilder();
    out.append("global_defs {\n");
    out.append("  router_id ").append(routerId).append('\n');
    // Notify scripts run as root without keepalived's script-security warnings.
    out.append("  script_user root\n");
    out.append("  enable_script_security\n");
    for (String line : globalLines) {
      out.append("  ").append(line).append('\n');
    }
    out.append("}\n\n");
    syncGroups.forEach(
        (group, members) -> {
          out.append("vrrp_sync_group ").append(group).append(" {\n  group {\n");
          members.forEach(m -> out.append("    ").append(m).append('\n'));
          out.append("  }\n}\n\n");
        });
    instances.forEach(i -> i.render(out));
    return out.toString();
  }

  /** One {@code vrrp_instance} block. */
  public static final class Instance {
    private final String name;
    private String state = "BACKUP";
    private String iface;
    private int vrid;
    private int priority = 100;
    private Duration advertInterval = Duration.ofSeconds(1);
    private int version;
    private final List<String> vips = new ArrayList<>();
    private String authType;
    private String authPass;
    private String unicastSource;
    private final List<String> unicastPeers = new ArrayList<>();
    private boolean noPreempt;
    private Duration preemptDelay;
    private boolean useVmac;
    private String vmacName;
    private final List<String> trackInterfaces = new ArrayList<>();
    private final List<String> extraLines = new ArrayList<>();

    Instance(String name) {
      this.name = name;
    }

    /** The instance's name, as log lines show it: {@code (VI_1) Entering MASTER STATE}. */
    public String name() {
      return name;
    }

    /** The initial state, {@code MASTER} or {@code BACKUP} (the default). */
    public Instance state(String initialState) {
      this.state = initialState;
      return this;
    }

    /** The interface the instance runs on. */
    public Instance iface(String name) {
      this.iface = name;
      return this;
    }

    /** {@code virtual_router_id}. */
    public Instance vrid(int id) {
      this.vrid = id;
      return this;
    }

    /** {@code priority} (1..255). */
    public Instance priority(int value) {
      this.priority = value;
      return this;
    }

    /** {@code advert_int}: whole seconds for v2, centisecond steps for v3. */
    public Instance advertInterval(Duration interval) {
      this.advertInterval = interval;
      return this;
    }

    /** The VRRP version of this instance (2 or 3). */
    public Instance version(int vrrpVersion) {
      this.version = vrrpVersion;
      return this;
    }

    /** Adds a virtual address, such as {@code 192.0.2.100/24} or {@code 2001:db8::100/64}. */
    public Instance vip(String cidr) {
      vips.add(cidr);
      return this;
    }

    /** Simple-text authentication (VRRPv2 only) with password {@code pass}. */
    public Instance authPass(String pass) {
      this.authType = "PASS";
      this.authPass = pass;
      return this;
    }

    /** IPsec-AH authentication (VRRPv2 over IPv4 only) keyed with {@code pass}. */
    public Instance authAh(String pass) {
      this.authType = "AH";
      this.authPass = pass;
      return this;
    }

    /** Unicast mode: the instance's own source address and its peers. */
    public Instance unicast(String source, String... peers) {
      this.unicastSource = source;
      this.unicastPeers.addAll(List.of(peers));
      return this;
    }

    /** {@code nopreempt}. */
    public Instance noPreempt() {
      this.noPreempt = true;
      return this;
    }

    /** {@code preempt_delay}, whole seconds. */
    public Instance preemptDelay(Duration delay) {
      this.preemptDelay = delay;
      return this;
    }

    /** {@code use_vmac}: adverts and addresses on a macvlan with the virtual MAC. */
    public Instance useVmac() {
      this.useVmac = true;
      return this;
    }

    /** {@code use_vmac NAME}: as {@link #useVmac()}, on a macvlan called {@code name}. */
    public Instance useVmac(String name) {
      this.useVmac = true;
      this.vmacName = name;
      return this;
    }

    /** Tracks an interface; weight 0 means its failure puts the instance in FAULT. */
    public Instance trackInterface(String ifname, int weight) {
      trackInterfaces.add(weight == 0 ? ifname : ifname + " weight " + weight);
      return this;
    }

    /** Adds a raw line inside the instance block. */
    public Instance line(String raw) {
      extraLines.add(raw);
      return this;
    }

    void render(StringBuilder out) {
      if (iface == null || vrid == 0) {
        throw new IllegalStateException("instance " + name + " needs an interface and a VRID");
      }
      out.append("vrrp_instance ").append(name).append(" {\n");
      line(out, "state " + state);
      line(out, "interface " + iface);
      line(out, "virtual_router_id " + vrid);
      line(out, "priority " + priority);
      line(out, "advert_int " + seconds(advertInterval));
      if (version != 0) {
        line(out, "version " + version);
      }
      if (authType != null) {
        out.append("  authentication {\n");
        out.append("    auth_type ").append(authType).append('\n');
        out.append("    auth_pass ").append(authPass).append('\n');
        out.append("  }\n");
      }
      if (unicastSource != null) {
        line(out, "unicast_src_ip " + unicastSource);
        out.append("  unicast_peer {\n");
        unicastPeers.forEach(p -> out.append("    ").append(p).append('\n'));
        out.append("  }\n");
      }
      if (noPreempt) {
        line(out, "nopreempt");
      }
      if (preemptDelay != null) {
        line(out, "preempt_delay " + preemptDelay.toSeconds());
      }
      if (useVmac) {
        line(out, vmacName == null ? "use_vmac" : "use_vmac " + vmacName);
      }
      if (!trackInterfaces.isEmpty()) {
        out.append("  track_interface {\n");
        trackInterfaces.forEach(t -> out.append("    ").append(t).append('\n'));
        out.append("  }\n");
      }
      extraLines.forEach(l -> line(out, l));
      out.append("  virtual_ipaddress {\n");
      vips.forEach(v -> out.append("    ").append(v).append('\n'));
      out.append("  }\n}\n\n");
    }

    private static void line(StringBuilder out, String text) {
      out.append("  ").append(text).append('\n');
    }

    private static String seconds(Duration d) {
      long millis = d.toMillis();
      return millis % 1000 == 0
          ? Long.toString(millis / 1000)
          : java.math.BigDecimal.valueOf(millis, 3).stripTrailingZeros().toPlainString();
    }
  }
}
