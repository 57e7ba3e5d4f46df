package org.failover4j.keepalived;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.failover4j.vrrp.VrrpInstanceConfig;
import org.failover4j.vrrp.VrrpRouter;

/**
 * The VRRP side of a keepalived.conf: its {@code vrrp_instance}s as {@link VrrpInstanceConfig}s,
 * its {@code vrrp_sync_group}s, its {@code vrrp_script}s as tracked checks and its notify scripts.
 *
 * <pre>{@code
 * KeepalivedConfig config = KeepalivedConfig.read(Path.of("/etc/keepalived/keepalived.conf")).build();
 * try (VrrpRouter router = config.routerBuilder().ownedPlatform(NetlinkPlatform.open()).build();
 *     NotifyScripts scripts = config.notifyScripts(router)) {
 *   router.start();
 *   ...
 * }
 * }</pre>
 *
 * <p>Anything it does not support is an error naming the file, the line and the keyword ({@link
 * KeepalivedConfigException}), or, with {@link Reader#warnOnUnsupported()}, a {@link Notice}. The
 * module README lists what is supported.
 */
public final class KeepalivedConfig {

  private final List<VrrpInstanceConfig> instances;
  private final Map<String, List<String>> syncGroups;
  private final Map<String, Notify> instanceNotify;
  private final Map<String, Notify> groupNotify;
  private final List<Notice> notices;

  /** The notify scripts of one instance or group; any may be null. */
  record Notify(
      ScriptCommand master,
      ScriptCommand backup,
      ScriptCommand fault,
      ScriptCommand stop,
      ScriptCommand generic) {

    boolean isEmpty() {
      return master == null && backup == null && fault == null && stop == null && generic == null;
    }
  }

  KeepalivedConfig(
      List<VrrpInstanceConfig> instances,
      Map<String, List<String>> syncGroups,
      Map<String, Notify> instanceNotify,
      Map<String, Notify> groupNotify,
      List<Notice> notices) {
    this.instances = List.copyOf(instances);
    this.syncGroups = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(syncGroups));
    this.instanceNotify = new LinkedHashMap<>(instanceNotify);
    this.groupNotify = new LinkedHashMap<>(groupNotify);
    this.notices = List.copyOf(notices);
  }

  /**
   * Starts reading the keepalived.conf at {@code file}; {@link Reader#build()} reads it.
   *
   * @param file the main configuration file
   * @return a reader to set options on
   */
  public static Reader read(Path file) {
    return new Reader(Objects.requireNonNull(file, "file"));
  }

  /** {@return the instances, in the order of the file} */
  public List<VrrpInstanceConfig> instances() {
    return instances;
  }

  /** {@return the sync groups: each group's name and its members' names} */
  public Map<String, List<String>> syncGroups() {
    return syncGroups;
  }

  /**
   * {@return whether {@code e} says an interface the configuration names is not on this host}
   *
   * @param e an error from {@link Reader#build()}
   */
  public static boolean isMissingInterface(KeepalivedConfigException e) {
    return e.keyword().equals("interface") && e.problem().startsWith(ConfigMapper.NO_INTERFACE);
  }

  /**
   * {@return what was read but is not acted on: LVS blocks, email settings, and (with {@link
   * Reader#warnOnUnsupported()}) the unsupported keywords skipped}
   */
  public List<Notice> notices() {
    return notices;
  }

  /**
   * {@return a router builder with every instance and sync group added; give it a platform and
   * build it}
   */
  public VrrpRouter.Builder routerBuilder() {
    VrrpRouter.Builder builder = VrrpRouter.builder();
    instances.forEach(builder::instance);
    syncGroups.forEach((name, members) -> builder.syncGroup(name, members.toArray(String[]::new)));
    return builder;
  }

  /**
   * Runs the configuration's notify scripts on {@code router}'s transitions from now on: call it
   * before {@link VrrpRouter#start()}, and close what it returns after the router.
   *
   * @param router a router built from {@link #routerBuilder()}
   * @return the running notifier
   */
  public NotifyScripts notifyScripts(VrrpRouter router) {
    return new NotifyScripts(router, instanceNotify, syncGroups, groupNotify);
  }

  /** How {@link KeepalivedConfig#read} reads: options, then {@link #build()}. */
  public static final class Reader {
    private final Path file;
    private String configId;
    private boolean configIdSet;
    private String instanceName = "";
    private boolean warnOnUnsupported;
    private boolean checkHost = true;

    private Reader(Path file) {
      this.file = file;
    }

    /**
     * The id that {@code @ID} lines are kept for, as keepalived's {@code -i ID} (default, as
     * keepalived: the host name up to its first dot).
     *
     * @param id the config id, or null to keep no {@code @ID} line
     * @return this reader
     */
    public Reader configId(String id) {
      this.configId = id;
      this.configIdSet = true;
      return this;
    }

    /**
     * The value of {@code $_INSTANCE}, as keepalived's {@code --instance} (default empty).
     *
     * @param name the instance name
     * @return this reader
     */
    public Reader instanceName(String name) {
      this.instanceName = Objects.requireNonNull(name, "name");
      return this;
    }

    /**
     * Report each unsupported keyword as a {@link Notice} and skip it, instead of failing on the
     * first one. Use it to see everything a configuration would need at once; a configuration read
     * this way may behave differently from keepalived.
     *
     * @return this reader
     */
    public Reader warnOnUnsupported() {
      this.warnOnUnsupported = true;
      return this;
    }

    /**
     * Whether what the configuration names on this host must be there (default true): the
     * interfaces, and the scripts, executable and, under {@code enable_script_security}, safe to
     * run as root. Turn it off only to read a configuration written for another machine.
     *
     * @param enabled false to skip the checks
     * @return this reader
     */
    public Reader checkHost(boolean enabled) {
      this.checkHost = enabled;
      return this;
    }

    /**
     * Reads the file and everything it includes, and maps it.
     *
     * @return the configuration
     * @throws KeepalivedConfigException naming the file, line and keyword of the first problem
     */
    public KeepalivedConfig build() {
      return build(SourceFiles.DISK);
    }

    KeepalivedConfig build(SourceFiles files) {
      List<Notice> notices = new ArrayList<>();
      String id = configIdSet ? configId : ConfigMapper.hostConfigId();
      List<Statement> statements =
          new ConfigParser(files, id, instanceName, notices::add).parse(file);
      return new ConfigMapper(warnOnUnsupported, checkHost, notices).map(statements);
    }
  }
}
