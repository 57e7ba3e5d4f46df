package org.failover4j.spring;

import java.util.LinkedHashMap;
import java.util.Map;
import org.failover4j.api.Role;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * The {@code failover4jSync} health contributor: each IPVS sync channel and {@link FollowRole}
 * bean, the source it follows, that source's role and the role it acts on. It is {@code DOWN} while
 * a follower is out of step with a source that is MASTER or BACKUP (a master that does not send, or
 * a backup that does not receive, loses the state a takeover needs), {@code UP} otherwise.
 */
public class SyncHealthIndicator implements HealthIndicator {

  private final RoleFollowers followers;

  /**
   * A contributor for {@code followers}.
   *
   * @param followers the followers
   */
  public SyncHealthIndicator(RoleFollowers followers) {
    this.followers = followers;
  }

  @Override
  public Health health() {
    Map<String, Object> details = new LinkedHashMap<>();
    Status status = Status.UP;
    for (RoleFollowers.Follower follower : followers.followers()) {
      Role source = follower.source().role();
      Role acting = follower.role().get();
      // A follower whose role cannot be read (an application's own listener) is not judged.
      boolean inStep =
          acting == null || (source != Role.MASTER && source != Role.BACKUP) || acting == source;
      Map<String, Object> detail = new LinkedHashMap<>();
      detail.put("follows", follower.follows());
      detail.put("sourceRole", source);
      detail.put("role", acting);
      detail.put("inStep", inStep);
      details.put(follower.name(), detail);
      if (!inStep) {
        status = Status.DOWN;
      }
    }
    return Health.status(status).withDetail("followers", details).build();
  }
}
