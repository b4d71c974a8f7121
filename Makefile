# streamline — the developer and user entry points. `make help` lists them.
#
# Two ways to run the same pipeline:
#   STACK=local   (default) Kafka, Cassandra and Spark as plain JVM processes from Maven Central jars
#   STACK=compose the docker-compose stack (make up / make down; see docs/docker.md)

SHELL := /bin/bash
.DEFAULT_GOAL := help
STACK ?= local

NPM_STAMP   := node_modules/.streamline-install
JARS_STAMP  := jars/target/.resolved
GEN_STAMP   := spark-connect/src/gen/.generated
VENV        := .venv
CQLSH       := $(VENV)/bin/cqlsh
CQLSH_VERSION := 6.2.2
TSX         := node --import tsx
# node as the producer runs (producer/src/runtime.ts: its V8 flags, and why): for every target that
# produces in its own process (produce, demo, bench).
PRODUCER_NODE := node --max-semi-space-size=64 --import tsx
MVN         := mvn -B -q

# One Spark version for everything, read from jars/pom.xml: the Maven build, the Spark distribution
# (the jars of the `pyspark` package of that version) and PySpark itself.
SPARK_VERSION := $(shell sed -n 's:.*<spark.version>\(.*\)</spark.version>.*:\1:p' jars/pom.xml)
PYTHON_STAMP  := $(VENV)/.streamline-$(CQLSH_VERSION)-$(SPARK_VERSION)-connect
COMPOSE_TOOLS_STAMP := $(HOME)/.cache/streamline-tools/.installed-$(shell sha1sum make/install-compose-tools.sh | cut -c1-12)
# The Spark 4 Connect server of the client's compatibility tests (jars/spark4/pom.xml, not the pipeline's).
SPARK4_VERSION := $(shell sed -n 's:.*<spark4.version>\(.*\)</spark4.version>.*:\1:p' jars/spark4/pom.xml)
SPARK4_STAMP   := jars/target/spark4/.resolved-$(SPARK4_VERSION)

CASSANDRA_USERNAME ?= cassandra
CASSANDRA_PASSWORD ?= cassandra
CASSANDRA_KEYSPACE ?= spark_streams
CASSANDRA_PORT     ?= 9042

.PHONY: help
help: ## list the targets
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-16s %s\n", $$1, $$2}'

# ---------------------------------------------------------------------------------------------------
# Install: everything a fresh machine needs, each step skipped when already done.

.PHONY: install
install: $(NPM_STAMP) $(JARS_STAMP) $(GEN_STAMP) $(PYTHON_STAMP) ## install npm packages, Python packages (cqlsh, PySpark), resolve jars, generate code

$(NPM_STAMP): package.json package-lock.json $(wildcard */package.json)
	@# The lock file is complete: `npm ci` installs exactly it and never rewrites it (a fresh clone stays clean).
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# The project's virtualenv: cqlsh, and PySpark of the pipeline's Spark version, whose package carries
# the Spark distribution's jars (the official image's) and PySpark's Spark Connect client. PySpark 3.5
# needs numpy < 2, and so a pyarrow built for it (pyarrow 17+ wants numpy 2).
$(PYTHON_STAMP):
	[ -x $(VENV)/bin/python ] || python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check cqlsh==$(CQLSH_VERSION) "pyspark[connect]==$(SPARK_VERSION)" "numpy<2" "pyarrow>=11,<17" "pandas>=1.5,<2.3"
	@touch $@

.PHONY: jars
jars: $(JARS_STAMP) ## resolve the connectors, Kafka and Cassandra from Maven Central; assemble SPARK_HOME

# SPARK_HOME of the local stack = the Spark distribution + the connector set derived against it: the
# classpath the Docker image has. The class check names anything the connectors need and lack.
# streamline's own jars (connect-guard, spark-extensions) rebuild when their sources change, not only their poms.
$(JARS_STAMP): jars/pom.xml $(filter-out jars/spark4/pom.xml,$(wildcard jars/*/pom.xml)) $(shell find jars/*/src -type f 2>/dev/null) $(wildcard jars/bin/*) jars/optional-packages.txt $(PYTHON_STAMP)
	$(MVN) -f jars/pom.xml clean package
	dist="$$($(VENV)/bin/python -c 'import os, pyspark; print(os.path.join(os.path.dirname(pyspark.__file__), "jars"))')" \
	  && bash jars/bin/derive-connectors.sh "$$dist" jars/target/connector-closure jars/target/connector-closure.list jars/target/connectors \
	  && cp jars/spark-extensions/target/streamline-spark-extensions-*.jar jars/target/connectors/ \
	  && bash jars/bin/assemble-spark-home.sh "$$dist" jars/target/connectors jars/target/spark-home jars/connect-guard/target/streamline-connect-guard-*.jar \
	  && bash jars/bin/check-connector-classes.sh jars/target/connectors jars/target/spark-home/jars
	rm -rf jars/target/postgres/dist && mkdir -p jars/target/postgres/dist \
	  && tar -xJf jars/target/postgres/postgres-*.txz -C jars/target/postgres/dist
	@touch $@

.PHONY: generate
generate: $(GEN_STAMP) ## generate the Spark Connect TypeScript protocol code from the resolved .proto files

$(GEN_STAMP): $(JARS_STAMP) $(SPARK4_STAMP) $(NPM_STAMP) $(wildcard spark-connect/scripts/*) $(wildcard spark-connect/src/sql/functions.ts spark-connect/src/sql/higher-order.ts spark-connect/src/sql/sql-functions.ts)
	npm run --silent -w spark-connect generate
	@touch $@

$(CQLSH): $(PYTHON_STAMP)

# A minimal Spark 4.0 Connect server for the client's compatibility tests (the pipeline stays on 3.5):
# its Maven closure in jars/target/spark4/jars, and the source of PySpark 4's Connect client (an sdist,
# read, never installed), from which scripts/gen-functions.py generates the function wrappers.

.PHONY: spark4-jars spark4-up spark4-down
spark4-jars: $(SPARK4_STAMP) ## resolve the Spark 4.0 Connect server (compatibility tests) from Maven Central

$(SPARK4_STAMP): jars/spark4/pom.xml | $(JARS_STAMP) $(PYTHON_STAMP)
	@# Its unpack markers (jars/spark4/target) go too: they outlive jars/target/spark4, which the jars build's
	@# `clean` deletes, and would make Maven skip extracting the .proto files again.
	rm -rf jars/target/spark4 jars/spark4/target && $(MVN) -f jars/spark4/pom.xml package
	$(VENV)/bin/pip download --quiet --disable-pip-version-check --no-deps --no-binary :all: "pyspark-client==$(SPARK4_VERSION)" -d jars/target/spark4
	@touch $@

spark4-up: $(NPM_STAMP) $(SPARK4_STAMP) ## start the Spark 4.0 Connect server of the compatibility tests (sc://127.0.0.1:15012, local mode)
	@$(TSX) stack/src/cli.ts spark4-up

spark4-down: ## stop the Spark 4.0 Connect server
	@$(TSX) stack/src/cli.ts spark4-down

.PHONY: compose-tools
compose-tools: $(COMPOSE_TOOLS_STAMP) ## install what the static checks of the Docker path need: Compose v2, hadolint, ShellCheck

$(COMPOSE_TOOLS_STAMP): make/install-compose-tools.sh
	bash make/install-compose-tools.sh
	@mkdir -p $(dir $@) && touch $@

# ---------------------------------------------------------------------------------------------------
# The local stack (no Docker): data, logs and pids under .run/

.PHONY: stack-up stack-down stack-status stack-logs
stack-up: $(NPM_STAMP) $(JARS_STAMP) ## start Kafka, Cassandra, Spark master/worker and Spark Connect (SERVICES="kafka" for only some); wait until healthy
	@$(TSX) stack/src/cli.ts up $(SERVICES)

stack-down: ## stop everything stack-up started (no JVM of ours is left)
	@$(TSX) stack/src/cli.ts down

stack-status: ## health, pid and memory of each local service
	@$(TSX) stack/src/cli.ts status

stack-logs: ## follow the local services' logs (SERVICE=kafka|cassandra|spark-master|spark-worker|spark-connect)
	@$(TSX) stack/src/cli.ts logs $(SERVICE) --follow

.PHONY: preflight
preflight: $(NPM_STAMP) ## check the Spark classpath (SPARK_JARS=dir to check another one)
	@$(TSX) stack/src/cli.ts preflight $(if $(SPARK_JARS),--spark-jars "$(SPARK_JARS)")

.PHONY: local-cqlsh
# Credentials go through a private credentials file, not the command line (where `ps` shows them).
local-cqlsh: $(CQLSH)
	@mkdir -p .run/cqlsh && chmod 700 .run/cqlsh
	@printf '[PlainTextAuthProvider]\nusername = %s\npassword = %s\n' "$(CASSANDRA_USERNAME)" "$(CASSANDRA_PASSWORD)" > .run/cqlsh/credentials && chmod 600 .run/cqlsh/credentials
	@printf '[authentication]\ncredentials = %s\n[connection]\nhostname = 127.0.0.1\nport = %s\n' "$(CURDIR)/.run/cqlsh/credentials" "$(CASSANDRA_PORT)" > .run/cqlsh/cqlshrc
	@$(CQLSH) --cqlshrc .run/cqlsh/cqlshrc $(if $(CQL),-e "$(CQL)") -k "$(CASSANDRA_KEYSPACE)"

.PHONY: cqlsh
cqlsh: $(STACK)-cqlsh ## open cqlsh on the keyspace (CQL="..." runs one statement)

# ---------------------------------------------------------------------------------------------------
# Airflow + PostgreSQL (local, no Docker, no root): the DAG in dags/ schedules the producer.

AIRFLOW_VERSION := 3.3.2
AIRFLOW_STAMP   := $(VENV)/.airflow-$(AIRFLOW_VERSION)

.PHONY: airflow-install airflow-up airflow-down airflow-status
airflow-install: $(AIRFLOW_STAMP) ## install Apache Airflow (PyPI) into the project's virtualenv

$(AIRFLOW_STAMP): $(PYTHON_STAMP)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check "apache-airflow[postgres]==$(AIRFLOW_VERSION)" apache-airflow-providers-standard
	@touch $@

airflow-up: install $(AIRFLOW_STAMP) stack-up ## start PostgreSQL and Airflow (UI http://127.0.0.1:8088, admin/admin) on top of the local stack
	@$(TSX) stack/src/cli.ts airflow-up

airflow-down: ## stop Airflow and its PostgreSQL (stack-down stops them too)
	@$(TSX) stack/src/cli.ts airflow-down

airflow-status: ## health, pid and memory of PostgreSQL and the Airflow components
	@$(TSX) stack/src/cli.ts airflow-status

# ---------------------------------------------------------------------------------------------------
# The pipeline end to end, for a new user: stack, schema, job, producer, rows counted in Cassandra.

.PHONY: demo
demo: install $(if $(AIRFLOW),$(AIRFLOW_STAMP)) ## run the whole pipeline on the local stack until Ctrl-C (ARGS="--duration 60" to stop by itself; AIRFLOW=1: Airflow schedules the producer)
	@$(PRODUCER_NODE) demo/demo.ts $(if $(AIRFLOW),--airflow) $(ARGS)

# ---------------------------------------------------------------------------------------------------
# The pipeline. ARGS passes extra flags, e.g. make submit ARGS="--detach", make produce ARGS="--rate 500".

.PHONY: submit status stop explain produce
submit: $(STACK)-submit ## apply cql/, start the streaming job, show live progress until Ctrl-C
status: $(STACK)-status ## the job's queries and their latest progress
stop: $(STACK)-stop ## stop the job's queries (checkpoints kept: the next submit resumes)
explain: $(STACK)-explain ## print the parsed/analyzed/physical plans of both queries
produce: $(STACK)-produce ## run the producer (randomuser.me by default; ARGS="--source synthetic" offline)

.PHONY: local-submit local-status local-stop local-explain local-produce
local-submit: $(NPM_STAMP) $(GEN_STAMP)
	@$(TSX) spark-job/src/cli.ts submit $(ARGS)
local-status: $(NPM_STAMP) $(GEN_STAMP)
	@$(TSX) spark-job/src/cli.ts status $(ARGS)
local-stop: $(NPM_STAMP) $(GEN_STAMP)
	@$(TSX) spark-job/src/cli.ts stop $(ARGS)
local-explain: $(NPM_STAMP) $(GEN_STAMP)
	@$(TSX) spark-job/src/cli.ts explain $(ARGS)
local-produce: $(NPM_STAMP)
	@$(PRODUCER_NODE) producer/src/cli.ts $(ARGS)

# ---------------------------------------------------------------------------------------------------
# The docker-compose stack (docs/docker.md): make up / down / ps / logs, and STACK=compose for the rest.

include make/compose.mk
include make/lint.mk

.PHONY: up down ps logs
up: compose-up ## [compose] build and start the Docker stack, wait until healthy (then: make submit STACK=compose)
down: compose-down ## [compose] stop the Docker stack (data volumes kept)
ps: compose-ps ## [compose] containers and their health
logs: compose-logs ## [compose] follow the Docker stack's logs

# ---------------------------------------------------------------------------------------------------
# Tests

.PHONY: test typecheck
typecheck: $(NPM_STAMP) $(GEN_STAMP)
	npx tsc -p tsconfig.json

test: install compose-tools $(AIRFLOW_STAMP) typecheck ## run every test: unit, static, and integration/end-to-end on the real local stack
	npx vitest run --project unit --project integration

.PHONY: bench
# Holds the stack lock like test-faults: a benchmark must never meet a fault it did not ask for.
bench: install ## benchmarks on the local stack (starts it if needed): figures in bench/results/<timestamp>/
	flock /tmp/streamline-stack.lock $(PRODUCER_NODE) bench/run.ts

.PHONY: test-faults
# Kills and restarts services of the shared local stack: holds the stack lock so that nobody else's run
# (benchmarks) meets a fault it did not ask for. Every test leaves the stack healthy.
test-faults: install ## real faults on the real local stack: poison, kill -9, Kafka/Cassandra restarts, bad API and config
	flock /tmp/streamline-stack.lock npx vitest run --project faults

.PHONY: test-hosts
# Kafka (3 brokers) and Cassandra (2 nodes) across hosts made of network namespaces (needs root; skipped
# with the reason otherwise). Its own network (10.231.0.0/24), run directory and lock: the shared local
# stack is neither used nor touched.
test-hosts: install ## multi-host tests: 3 Kafka brokers and 2 Cassandra nodes on network-namespace hosts; host kill, link cut
	flock /tmp/streamline-hosts.lock npx vitest run --project hosts

.PHONY: clean
clean: ## stop the local stack and delete its data (.run) and build outputs
	-@$(TSX) stack/src/cli.ts down
	rm -rf .run jars/target spark-connect/src/gen
