package dev.streamline.cassandra;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchStatementBuilder;
import com.datastax.oss.driver.api.core.cql.BatchType;
import com.datastax.oss.driver.api.core.cql.BatchableStatement;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.Statement;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rows grouped into unlogged batches, the connector's way: a batch holds rows of one group (see
 * {@link WriteSettings.Grouping}) up to the batch size in rows or in bytes of bound values, and at most
 * {@code groupingBuffer} groups are open at once (the oldest is sent when one more is needed). A batch
 * of one row goes out as that row's statement.
 */
final class Batches {
  /** Sends a statement; may block until the writes in flight leave room. */
  interface Sender {
    void send(Statement<?> statement) throws InterruptedException;
  }

  private static final class Open {
    final List<BatchableStatement<?>> rows = new ArrayList<>();
    long bytes;

    BoundStatement first() {
      return (BoundStatement) rows.get(0);
    }
  }

  private final WriteSettings settings;
  private final ConsistencyLevel consistency;
  private final CqlIdentifier keyspace;
  private final Sender sender;
  private final Map<Object, Open> open = new LinkedHashMap<>();

  Batches(WriteSettings settings, ConsistencyLevel consistency, CqlIdentifier keyspace, Sender sender) {
    this.settings = settings;
    this.consistency = consistency;
    this.keyspace = keyspace;
    this.sender = sender;
  }

  void add(Object group, BoundStatement row, int bytes) throws InterruptedException {
    Open batch = open.get(group);
    if (batch != null && (batch.rows.size() + 1 > settings.maxRows() || batch.bytes + bytes > settings.maxBytes())) {
      open.remove(group);
      send(batch);
      batch = null;
    }
    if (batch == null) {
      if (open.size() >= settings.groupingBuffer()) sendOldest();
      batch = new Open();
      open.put(group, batch);
    }
    batch.rows.add(row);
    batch.bytes += bytes;
  }

  void sendAll() throws InterruptedException {
    while (!open.isEmpty()) sendOldest();
  }

  private void sendOldest() throws InterruptedException {
    Iterator<Open> oldest = open.values().iterator();
    Open batch = oldest.next();
    oldest.remove();
    send(batch);
  }

  private void send(Open batch) throws InterruptedException {
    if (batch.rows.size() == 1) {
      sender.send(batch.first().setConsistencyLevel(consistency));
      return;
    }
    // The batch is routed as its first row is (the driver's token-aware policy then picks a replica
    // of it; with replica-set grouping, a replica of every row).
    BatchStatementBuilder builder = BatchStatement.builder(BatchType.UNLOGGED)
        .addStatements(batch.rows)
        .setConsistencyLevel(consistency)
        .setIdempotence(true)
        .setRoutingKeyspace(keyspace)
        .setRoutingKey(batch.first().getRoutingKey());
    sender.send(builder.build());
  }
}
