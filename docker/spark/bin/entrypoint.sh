#!/usr/bin/env bash
# entrypoint.sh ROLE [extra spark args...]   — the one entrypoint of the streamline Spark image.
#   master   standalone master: RPC ${SPARK_MASTER_PORT:-7077}, UI ${SPARK_MASTER_WEBUI_PORT:-8080}
#   worker   standalone worker registered at ${SPARK_MASTER_URL}; UI ${SPARK_WORKER_WEBUI_PORT:-8082};
#            cores/memory from SPARK_WORKER_CORES / SPARK_WORKER_MEMORY (read by Spark itself)
#   connect  the Spark Connect server (the driver) on 0.0.0.0:${SPARK_CONNECT_PORT:-15002}, submitted to
#            ${SPARK_MASTER_URL}, UI ${SPARK_DRIVER_UI_PORT:-4040}
#   anything else is executed as is (bash, spark-submit, ...).
# Uses only SPARK_HOME, bash and java from the base image, so it runs the same on apache/spark and
# bitnamilegacy/spark. The connectors are in $SPARK_HOME/jars (install-connectors.sh), i.e. on the
# classpath of the driver and of every executor the workers launch: no --jars / --packages needed.
set -euo pipefail

: "${SPARK_HOME:?SPARK_HOME is not set by the base image}"
role="${1:-connect}"
[ "$#" -gt 0 ] && shift

master_url="${SPARK_MASTER_URL:-spark://spark-master:7077}"

case "$role" in
  master)
    exec "${SPARK_HOME}/bin/spark-class" org.apache.spark.deploy.master.Master \
      --host "${SPARK_MASTER_HOST:-$(hostname)}" \
      --port "${SPARK_MASTER_PORT:-7077}" \
      --webui-port "${SPARK_MASTER_WEBUI_PORT:-8080}" \
      "$@"
    ;;
  worker)
    exec "${SPARK_HOME}/bin/spark-class" org.apache.spark.deploy.worker.Worker \
      --webui-port "${SPARK_WORKER_WEBUI_PORT:-8082}" \
      --work-dir "${SPARK_WORKER_DIR:-/opt/streamline/work}" \
      "$@" \
      "${master_url}"
    ;;
  connect)
    # spark-submit knows this class (like start-connect-server.sh): no application jar is needed.
    # The gRPC server of Spark 3.5 binds every interface; only its port is configurable.
    exec "${SPARK_HOME}/bin/spark-submit" \
      --class org.apache.spark.sql.connect.service.SparkConnectServer \
      --name "${SPARK_CONNECT_APP_NAME:-streamline Spark Connect server}" \
      --master "${master_url}" \
      --driver-memory "${SPARK_DRIVER_MEMORY:-768m}" \
      --conf "spark.connect.grpc.binding.port=${SPARK_CONNECT_PORT:-15002}" \
      --conf "spark.driver.bindAddress=0.0.0.0" \
      --conf "spark.ui.port=${SPARK_DRIVER_UI_PORT:-4040}" \
      --conf "spark.executor.memory=${SPARK_EXECUTOR_MEMORY:-512m}" \
      --conf "spark.sql.streaming.checkpointLocation=${STREAMLINE_CHECKPOINT_ROOT:-/checkpoints}" \
      "$@"
    ;;
  *)
    exec "$role" "$@"
    ;;
esac
