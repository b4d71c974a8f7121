package dev.streamline.record;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF2;

/**
 * The record contract as a Spark function: {@code streamline_record(value, contract)} classifies one
 * Kafka message value against the contract (a JSON text, rendered by record/src/spark.ts from the one
 * definition of the record) and returns a struct of its rejection reason (null for a conforming
 * message) and, for a conforming message, every field's typed value (null otherwise).
 *
 * <p>A client registers it by class name (Spark Connect's Java UDF registration), so the contract
 * travels with each call: the job's plans carry it as a literal, which Spark hands to each call as the
 * same text. The parsed contract is kept for as long as the text stays the same.
 *
 * <p>Why a function of ours: the same contract as Spark SQL took a parse plus a dozen byte searches,
 * patterns and probes per message, and an expression tree of thousands of nodes that Spark's optimizer
 * walked again at every micro-batch (most of the Connect server's CPU at a 1 s trigger). Here it is one
 * pass of Jackson's streaming parser over the bytes (bench/README.md).
 */
public final class RecordFunction implements UDF2<byte[], String, Row> {
  private static final long serialVersionUID = 1L;

  private transient String contractText;
  private transient RecordContract contract;

  @Override
  public Row call(byte[] value, String contractJson) {
    return contractFor(contractJson).classify(value);
  }

  private RecordContract contractFor(String contractJson) {
    if (contractJson == null) throw new IllegalArgumentException("streamline_record: the contract (second argument) is null");
    if (contract == null || !contractJson.equals(contractText)) {
      contract = RecordContract.parse(contractJson);
      contractText = contractJson;
    }
    return contract;
  }
}
