#!/usr/bin/env bash
# Image build step (runs as root in docker/spark/Dockerfile): the runtime user and its directories.
set -euo pipefail

uid="${SPARK_UID:?SPARK_UID is not set}"

# The runtime user: keep the base image's if it has one for this uid, else add a name for it.
if ! getent passwd "${uid}" >/dev/null; then
  echo "streamline:x:${uid}:0:streamline:/opt/streamline:/bin/bash" >> /etc/passwd
fi
# Worker scratch (executor dirs), shuffle/spill, logs and the checkpoint mount point. A named volume
# mounted on /checkpoints starts as a copy of this directory, owner included.
mkdir -p /opt/streamline/work /opt/streamline/tmp /opt/streamline/logs /checkpoints
chown -R "${uid}:0" /opt/streamline /checkpoints
chmod -R g+rwX /opt/streamline /checkpoints
