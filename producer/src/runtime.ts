// How node must run the producer. V8 reads heap sizes when the process starts (v8.setFlagsFromString
// afterwards leaves them as they were), so every launcher passes these itself: the Makefile
// (produce, demo, bench), the Docker image (NODE_OPTIONS), the Airflow DAG and the package's bin.
// tests/static/producer-launchers.test.ts holds each of them to this list.

/**
 * A 64 MB semi-space (V8's young generation; Node 20 gives 16 MB). Every record is a short-lived
 * object graph (the randomuser result, the record, its JSON, kafkajs' buffers), and with the default
 * the scavenger ran every few thousand records, copying the batches in flight each time.
 * bench/producer-throughput.ts, same session, the default then this flag: the whole producer against
 * ProducerPerformance 0.57× → 0.73× uncompressed (gzip 0.64× both); in 6 alternating pairs of
 * separate processes, 30.7k → 35.1k records/s (median; every pair faster), CPU 36 → 30.5 µs per
 * record. 32 MB gave part of it, 128 MB no more than 64.
 */
export const PRODUCER_NODE_FLAGS = ['--max-semi-space-size=64'] as const;
