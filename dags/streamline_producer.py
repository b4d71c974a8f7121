"""Streams users to Kafka with the streamline producer (the TypeScript CLI in producer/), on a schedule.

The tutorials this project replaces ran one Python fetch every 10 seconds from a DAG. Here the producer
stays the thing that fetches, validates and sends; Airflow schedules, retries and shows it. By default a
run starts every minute and streams users for most of that minute at a steady rate, so there is no gap
and no run per 10 s. Change it without editing this file:

    STREAMLINE_PRODUCER_SCHEDULE   cron or preset for the schedule (default "* * * * *"; "none" = manual)
    STREAMLINE_PRODUCER_SOURCE     randomuser (default) or synthetic (no internet needed)
    STREAMLINE_PRODUCER_RATE       records per second (default 10)
    STREAMLINE_PRODUCER_DURATION   seconds each run streams (default 50: a run per minute leaves 10 s)
    STREAMLINE_PRODUCER_RETRIES    task retries (default 2)

or per run, from the UI's "Trigger DAG w/ config" (params below). The task's log is the producer's own
output; its return value (XCom) is the producer's summary: records sent, fetched, rejected, errors.
A failed run says why, from the producer's exit code (API down, Kafka unreachable, ...).
"""

from __future__ import annotations

import os
import re
import subprocess
from datetime import datetime, timedelta
from pathlib import Path

from airflow.exceptions import AirflowException
from airflow.sdk import Param, dag, get_current_context, task

REPO = Path(os.environ.get("STREAMLINE_REPO") or Path(__file__).resolve().parents[1])
DEFAULT_SCHEDULE = os.environ.get("STREAMLINE_PRODUCER_SCHEDULE", "* * * * *")
DEFAULT_SOURCE = os.environ.get("STREAMLINE_PRODUCER_SOURCE", "randomuser")
DEFAULT_RATE = int(os.environ.get("STREAMLINE_PRODUCER_RATE", "10"))
DEFAULT_DURATION = int(os.environ.get("STREAMLINE_PRODUCER_DURATION", "50"))
RETRIES = int(os.environ.get("STREAMLINE_PRODUCER_RETRIES", "2"))

# The producer's exit codes (producer/src/errors.ts), as a failed task shows them.
EXIT_REASONS = {
    2: "bad configuration",
    3: "the randomuser.me API is unavailable or returned no valid users",
    4: "Kafka is unreachable",
    5: "Kafka refused the records",
    6: "the Schema Registry is unavailable",
}

# The producer's last line: "... done (<why>): sent=N fetched=N invalid=N retries=N errors=N in 1.2s ..."
SUMMARY = re.compile(r"done \((?P<reason>[^)]*)\): sent=(?P<sent>\d+) fetched=(?P<fetched>\d+) invalid=(?P<invalid>\d+) retries=(?P<retries>\d+) errors=(?P<errors>\d+)")


def parse_summary(lines: list[str]) -> dict[str, int | str] | None:
    """The producer's final summary, or None when it printed none."""
    for line in reversed(lines):
        match = SUMMARY.search(line)
        if match:
            summary: dict[str, int | str] = {k: int(v) for k, v in match.groupdict().items() if k != "reason"}
            summary["stopped_by"] = match["reason"]
            return summary
    return None


def producer_command(params: dict) -> list[str]:
    command = [
        # The producer's V8 flags (producer/src/runtime.ts).
        "node", "--max-semi-space-size=64", "--import", "tsx", "producer/src/cli.ts",
        "--source", str(params["source"]),
        "--rate", str(params["rate"]),
        "--duration", str(params["duration"]),
        "--report-interval", "10",
    ]
    if params.get("topic"):
        command += ["--topic", str(params["topic"])]
    if params.get("bootstrap_servers"):
        command += ["--bootstrap-servers", str(params["bootstrap_servers"])]
    if params.get("seed"):
        command += ["--seed", str(params["seed"])]
    return command


schedule = None if DEFAULT_SCHEDULE.strip().lower() in ("", "none", "manual") else DEFAULT_SCHEDULE


@dag(
    dag_id="streamline_producer",
    description="randomuser.me -> Kafka with the streamline producer, streaming most of every minute",
    schedule=schedule,
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,
    tags=["streamline", "kafka", "producer"],
    default_args={"retries": RETRIES, "retry_delay": timedelta(seconds=10), "retry_exponential_backoff": True},
    params={
        "source": Param(DEFAULT_SOURCE, enum=["randomuser", "synthetic"], description="where users come from"),
        "rate": Param(DEFAULT_RATE, type="integer", minimum=1, maximum=100000, description="records per second"),
        "duration": Param(DEFAULT_DURATION, type="integer", minimum=1, maximum=3600, description="seconds to stream"),
        "topic": Param("", type="string", description="Kafka topic (empty: KAFKA_TOPIC or users_created)"),
        "bootstrap_servers": Param("", type="string", description="Kafka brokers (empty: KAFKA_BOOTSTRAP_SERVERS)"),
        "seed": Param("", type="string", description="synthetic users' seed (empty: random)"),
    },
    doc_md=__doc__,
)
def streamline_producer():
    @task(execution_timeout=timedelta(seconds=DEFAULT_DURATION + 120))
    def produce() -> dict[str, int | str]:
        params = dict(get_current_context()["params"])
        command = producer_command(params)
        print(f"running in {REPO}: {' '.join(command)}", flush=True)
        lines: list[str] = []
        with subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) as proc:
            assert proc.stdout is not None
            for line in proc.stdout:
                print(line, end="", flush=True)
                lines.append(line.rstrip("\n"))
                del lines[:-50]
            code = proc.wait()
        if code != 0:
            reason = EXIT_REASONS.get(code, "the producer failed")
            last = next((l for l in reversed(lines) if l.strip()), "")
            raise AirflowException(f"producer exited with {code} ({reason}): {last}")
        summary = parse_summary(lines)
        if summary is None:
            raise AirflowException("the producer exited 0 without its summary line")
        print(f"summary: {summary}", flush=True)
        return summary

    produce()


streamline_producer()
