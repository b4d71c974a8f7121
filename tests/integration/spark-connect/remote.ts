// The Spark Connect server of the local stack (tests/global-setup.ts makes sure it is up).
export const REMOTE = process.env['SPARK_REMOTE'] ?? `sc://127.0.0.1:${process.env['SPARK_CONNECT_PORT'] ?? '15002'}`;
