package org.failover4j.api;

/** {@link ThreadEventLoop} under the {@link EventLoop} contract, in real time. */
class ThreadEventLoopTest extends EventLoopContract {

  @Override
  protected EventLoop newLoop(String name) {
    return ThreadEventLoop.start(name);
  }
}
