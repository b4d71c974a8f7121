"""The job the Python tutorials ship, as their users run it: spark-submit of a PySpark script that
reads the topic with the Kafka source, parses each value with from_json, and appends the rows to the
Cassandra table with the connector's streaming sink. No classification, no quarantine: a malformed
message becomes a row of nulls or fails the batch. It is the benchmarks' anchor, the job users would
pick instead of ours; it runs on the same stack, the same backlog and the same table.

Usage: spark-submit ... pyspark_job.py <bootstrap> <topic> <schema DDL> <keyspace> <table> <checkpoint> [trigger]
Prints "STARTED <id>" once the query runs and "PROGRESS <batchId> <rows>" per batch; a line "stop" on
stdin (or stdin closing) stops the query and the session cleanly.
"""

import sys
import threading

from pyspark.sql import SparkSession
from pyspark.sql.functions import col, from_json


def main() -> None:
    bootstrap, topic, schema_ddl, keyspace, table, checkpoint = sys.argv[1:7]
    trigger = sys.argv[7] if len(sys.argv) > 7 else ""

    spark = SparkSession.builder.appName("SparkDataStreaming").getOrCreate()
    spark.sparkContext.setLogLevel("WARN")

    messages = (
        spark.readStream.format("kafka")
        .option("kafka.bootstrap.servers", bootstrap)
        .option("subscribe", topic)
        .option("startingOffsets", "earliest")
        .load()
    )
    users = messages.selectExpr("CAST(value AS STRING)").select(from_json(col("value"), schema_ddl).alias("data")).select("data.*")

    writer = (
        users.writeStream.format("org.apache.spark.sql.cassandra")
        .option("checkpointLocation", checkpoint)
        .option("keyspace", keyspace)
        .option("table", table)
    )
    if trigger:
        writer = writer.trigger(processingTime=trigger)
    query = writer.start()
    print(f"STARTED {query.id}", flush=True)

    def wait_for_stop() -> None:
        for line in sys.stdin:
            if line.strip() == "stop":
                break
        query.stop()

    threading.Thread(target=wait_for_stop, daemon=True).start()

    last = -1
    while query.isActive:
        query.awaitTermination(0.25)
        progress = query.lastProgress
        if progress is not None and progress["batchId"] != last:
            last = progress["batchId"]
            print(f"PROGRESS {last} {progress['numInputRows']}", flush=True)
    if query.exception() is not None:
        print(f"FAILED {query.exception()}", flush=True)
        spark.stop()
        sys.exit(1)
    spark.stop()


if __name__ == "__main__":
    main()
