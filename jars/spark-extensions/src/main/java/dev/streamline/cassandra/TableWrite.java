package dev.streamline.cassandra;

import com.datastax.spark.connector.cql.CassandraConnector;
import java.io.Serializable;

/**
 * What every task of one write needs, sent to the executors: how to connect (the connector's
 * serializable connector, whose sessions are cached per executor), the INSERT, and per column its
 * encoder; the partition key as positions among the columns (for routing and grouping).
 */
record TableWrite(
    CassandraConnector connector,
    String target,
    String keyspace,
    String insert,
    String[] columns,
    ColumnEncoder[] encoders,
    int[] partitionKey,
    WriteSettings settings)
    implements Serializable {}
