# The docker-compose stack (docker-compose.yml, docs/docker.md). Included by the root Makefile, which
# dispatches `make up|down|ps|logs|submit|produce|cqlsh ...` here when STACK=compose. Every target also
# works on its own:  make -f make/compose.mk compose-up
#
# Variables: COMPOSE (the Compose command), SPARK_WORKERS (workers started by compose-up),
# JOB_ARGS (extra flags for the job CLI), PRODUCE_ARGS or ARGS (flags for the producer CLI),
# SERVICE (compose-logs: one service), COMPOSE_WAIT_TIMEOUT (seconds compose-up waits for health),
# SPARK_FLAVOUR (apache, the default, or bitnami).

COMPOSE ?= docker compose
SPARK_WORKERS ?= 1
COMPOSE_WAIT_TIMEOUT ?= 900
JOB_ARGS ?= $(ARGS)
ARGS ?=
PRODUCE_ARGS ?= $(ARGS)
SERVICE ?=

# This file's directory's parent = the repository root, wherever make runs from.
STREAMLINE_COMPOSE_FILE := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))../docker-compose.yml)
# SPARK_FLAVOUR=bitnami: the Bitnami master/worker cluster (docker-compose.bitnami.yml, Spark 3.5.6).
SPARK_FLAVOUR ?= apache
DC := $(COMPOSE) -f $(STREAMLINE_COMPOSE_FILE)$(if $(filter bitnami,$(SPARK_FLAVOUR)), -f $(STREAMLINE_COMPOSE_FILE:.yml=.bitnami.yml))

.PHONY: compose-up compose-down compose-clean compose-ps compose-logs compose-build compose-config \
        compose-submit compose-status compose-stop compose-explain compose-produce compose-cqlsh

compose-up: ## [compose] build the images, start the stack, wait until every service is healthy
	$(DC) up -d --build --wait --wait-timeout $(COMPOSE_WAIT_TIMEOUT) --scale spark-worker=$(SPARK_WORKERS)

compose-down: ## [compose] stop and remove the containers (volumes, i.e. data and checkpoints, are kept)
	$(DC) --profile tools down --remove-orphans

compose-clean: ## [compose] stop and remove the containers AND the volumes (Kafka, Cassandra, checkpoints)
	$(DC) --profile tools down --remove-orphans --volumes

compose-ps: ## [compose] containers, state and health
	$(DC) --profile tools ps --all

compose-logs: ## [compose] follow the logs (SERVICE=spark-connect for one service)
	$(DC) logs --follow --tail=200 $(SERVICE)

compose-build: ## [compose] build the images (spark, producer, job) without starting anything
	$(DC) --profile tools build

compose-config: ## [compose] validate docker-compose.yml and print it resolved
	$(DC) --profile tools config

compose-submit: ## [compose] start the streaming job on the compose Spark Connect server (JOB_ARGS=...)
	$(DC) run --rm job npx tsx spark-job/src/cli.ts submit $(JOB_ARGS)

compose-status: ## [compose] status and recent progress of the streaming job
	$(DC) run --rm job npx tsx spark-job/src/cli.ts status $(JOB_ARGS)

compose-stop: ## [compose] stop the streaming job (the stack keeps running)
	$(DC) run --rm job npx tsx spark-job/src/cli.ts stop $(JOB_ARGS)

compose-explain: ## [compose] print the job's plan as Spark sees it
	$(DC) run --rm job npx tsx spark-job/src/cli.ts explain $(JOB_ARGS)

compose-produce: ## [compose] run a producer in the foreground (PRODUCE_ARGS="--source synthetic --rate 100")
	$(DC) run --rm producer npx tsx producer/src/cli.ts $(PRODUCE_ARGS)

compose-cqlsh: ## [compose] cqlsh inside the cassandra container, on the keyspace, with the credentials
	$(DC) exec cassandra bash -c 'exec cqlsh -u "$$CASSANDRA_USERNAME" -p "$$CASSANDRA_PASSWORD" -k "$$CASSANDRA_KEYSPACE" 127.0.0.1 9042'
