package org.failover4j.vrrp.interop;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.failover4j.api.RoleChangeEvent;
import org.failover4j.api.RoleListener;
import org.failover4j.lab.Host;
import org.failover4j.netlink.platform.NetlinkPlatform;
import org.failover4j.vrrp.VrrpInstance;
import org.failover4j.vrrp.VrrpRouter;

/**
 * A failover4j VRRP router running in-process inside a lab host: the platform is opened on the
 * host's namespace thread, so its sockets and its event-loop thread live in that namespace.
 */
final class JavaRouter implements AutoCloseable {

  final VrrpRouter router;
  final List<RoleChangeEvent> events = new CopyOnWriteArrayList<>();

  private JavaRouter(VrrpRouter router) {
    this.router = router;
  }

  /** Builds and starts a router inside {@code host} from {@code builder} (platform added here). */
  static JavaRouter start(Host host, VrrpRouter.Builder builder) throws Exception {
    VrrpRouter router =
        host.call(
            () -> {
              VrrpRouter r = builder.ownedPlatform(NetlinkPlatform.open()).build();
              return r;
            });
    JavaRouter java = new JavaRouter(router);
    for (VrrpInstance instance : router.instances()) {
      instance.addListener(
          new RoleListener() {
            @Override
            public void roleChanged(RoleChangeEvent event) {
              java.events.add(event);
            }
          },
          Runnable::run);
    }
    host.call(
        () -> {
          router.start();
          return null;
        });
    return java;
  }

  VrrpInstance instance(String name) {
    return router.instance(name);
  }

  @Override
  public void close() {
    router.close();
  }
}
