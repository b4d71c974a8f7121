package dev.streamline.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverExecutionProfile;
import com.datastax.oss.driver.api.core.cql.Statement;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A task's asynchronous writes, at most {@code limit} at a time. The first failure stops the task: it
 * is thrown at the next submit or at the end, and nothing more is sent after it (the micro-batch is
 * replayed whole after a restart; the writes are upserts).
 */
final class InFlightWrites {
  private final CqlSession session;
  private final String target;
  private final int limit;
  private final Semaphore permits;
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  /** The session's profile without the driver's per-answer warning log (ServerWarnings logs them instead). */
  private final DriverExecutionProfile profile;

  InFlightWrites(CqlSession session, String target, int limit) {
    this.session = session;
    this.target = target;
    this.limit = limit;
    this.permits = new Semaphore(limit);
    this.profile = session.getContext().getConfig().getDefaultProfile().withBoolean(DefaultDriverOption.REQUEST_LOG_WARNINGS, false);
  }

  void submit(Statement<?> statement) throws InterruptedException {
    throwIfFailed();
    permits.acquire();
    session.executeAsync(statement.setExecutionProfile(profile)).whenComplete((result, error) -> {
      try {
        if (error != null) failure.compareAndSet(null, error);
        else ServerWarnings.record(target, result.getExecutionInfo().getWarnings());
      } finally {
        permits.release(); // whatever happens above: a lost permit would hang the task
      }
    });
  }

  /** Waits for every write sent; throws the first failure. */
  void awaitAll() throws InterruptedException {
    permits.acquire(limit);
    permits.release(limit);
    throwIfFailed();
  }

  /**
   * After a failure: lets the writes still in flight end (bounded by the driver's own request timeout
   * and this wait) before the session goes back to the connector's cache.
   */
  void settle() {
    try {
      if (permits.tryAcquire(limit, 30, TimeUnit.SECONDS)) permits.release(limit);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void throwIfFailed() {
    Throwable error = failure.get();
    if (error != null) throw new CassandraWriteException(target, error);
  }
}
