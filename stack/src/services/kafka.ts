// Kafka 3.9 in KRaft mode: one process that is both controller and broker, no ZooKeeper.
import { randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { kafkaMetadataAnswers } from '../health.js';
import { stackMarker } from '../process.js';
import { javaBinary, type ServiceContext, type ServiceDefinition } from './types.js';

const run = promisify(execFile);

/**
 * KRaft cluster ids are 16 random bytes in URL-safe base64 without padding. One id in 64 would start
 * with '-', which Kafka's own command-line tools read as an option (kafka-storage then fails with
 * "--cluster-id: expected one argument"): Kafka's Uuid.randomUuid() draws again in that case, and so
 * does this. The `random` parameter exists for the test of that rule.
 */
export function newClusterId(random: (size: number) => Buffer = randomBytes): string {
  for (;;) {
    const id = random(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

/**
 * One node of a multi-broker cluster (stack/src/hosts): its id, the controller quorum, and the
 * replication the cluster enforces. Absent for the single-host stack, whose one node is id 1.
 */
export interface KafkaClusterNode {
  nodeId: number;
  /** Every controller of the quorum (each node is broker and controller), by id and address. */
  voters: readonly { nodeId: number; host: string }[];
  replicationFactor: number;
  minInsyncReplicas: number;
  /** Every node's storage must be formatted with the same cluster id. */
  clusterId: string;
}

function clusterProperties(node: KafkaClusterNode): string[] {
  const rf = node.replicationFactor;
  return [
    `default.replication.factor=${rf}`,
    `min.insync.replicas=${node.minInsyncReplicas}`,
    `offsets.topic.replication.factor=${rf}`,
    `transaction.state.log.replication.factor=${rf}`,
    `transaction.state.log.min.isr=${node.minInsyncReplicas}`,
    `share.coordinator.state.topic.replication.factor=${rf}`,
    // Never elect a replica that fell behind: that would lose acknowledged records.
    'unclean.leader.election.enable=false',
    'group.initial.rebalance.delay.ms=0',
    'log.retention.hours=168',
    '',
  ];
}

export function kafkaServerProperties(ctx: ServiceContext, dataDir: string, node?: KafkaClusterNode): string {
  const { host, ports } = ctx.config;
  const voters = node ? node.voters.map((v) => `${v.nodeId}@${v.host}:${ports.kafkaController}`).join(',') : `1@${host}:${ports.kafkaController}`;
  const common = [
    'process.roles=broker,controller',
    `node.id=${node?.nodeId ?? 1}`,
    `controller.quorum.voters=${voters}`,
    `listeners=PLAINTEXT://${host}:${ports.kafka},CONTROLLER://${host}:${ports.kafkaController}`,
    `advertised.listeners=PLAINTEXT://${host}:${ports.kafka}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    `log.dirs=${dataDir}`,
    'num.partitions=1',
  ];
  if (node) return [...common, ...clusterProperties(node)].join('\n');
  return [
    ...common,
    // Single node: internal topics cannot be replicated.
    'offsets.topic.replication.factor=1',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'share.coordinator.state.topic.replication.factor=1',
    // Consumers (Spark, tests) should not wait 3 s for a rebalance on a one-node cluster.
    'group.initial.rebalance.delay.ms=0',
    'log.retention.hours=168',
    '',
  ].join('\n');
}

const LOG4J = [
  'log4j.rootLogger=INFO, stdout',
  'log4j.appender.stdout=org.apache.log4j.ConsoleAppender',
  'log4j.appender.stdout.layout=org.apache.log4j.PatternLayout',
  'log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n',
  'log4j.logger.kafka.request.logger=WARN',
  'log4j.logger.org.apache.kafka.controller=INFO',
  'log4j.logger.state.change.logger=WARN',
  '',
].join('\n');

export function kafkaService(ctx: ServiceContext, node?: KafkaClusterNode): ServiceDefinition {
  const { config, paths } = ctx;
  const home = paths.serviceDir('kafka');
  const dataDir = path.join(home, 'data');
  const propertiesFile = path.join(home, 'server.properties');
  const log4jFile = path.join(home, 'log4j.properties');
  const classpath = `${paths.kafkaLibs}/*`;
  const bootstrap = `${config.host}:${config.ports.kafka}`;

  return {
    name: 'kafka',
    description: `Kafka broker (KRaft${node ? `, node ${node.nodeId} of ${node.voters.length}` : ''}) on ${bootstrap}`,
    ports: [
      { name: 'KAFKA_PORT', port: config.ports.kafka },
      { name: 'KAFKA_CONTROLLER_PORT', port: config.ports.kafkaController },
    ],
    dependsOn: [],
    healthDescription: 'metadata requests answered with a controller',
    async prepare() {
      mkdirSync(dataDir, { recursive: true });
      writeFileSync(propertiesFile, kafkaServerProperties(ctx, dataDir, node));
      writeFileSync(log4jFile, LOG4J);
      // KRaft storage is formatted once, on first start; later starts keep the data.
      if (!existsSync(path.join(dataDir, 'meta.properties'))) {
        await run(javaBinary(), [
          '-cp',
          classpath,
          `-Dlog4j.configuration=file:${log4jFile}`,
          'kafka.tools.StorageTool',
          'format',
          // The '=' form: an argument parser cannot mistake the value for an option.
          `--cluster-id=${node?.clusterId ?? newClusterId()}`,
          '-c',
          propertiesFile,
          '--ignore-formatted',
        ]);
      }
    },
    async launch() {
      return {
        command: javaBinary(),
        args: [
          stackMarker(config.runDir),
          `-Xms${config.memory.kafkaHeap}`,
          `-Xmx${config.memory.kafkaHeap}`,
          '-XX:+UseG1GC',
          '-XX:MaxGCPauseMillis=20',
          '-Djava.awt.headless=true',
          `-Dlog4j.configuration=file:${log4jFile}`,
          `-Dkafka.logs.dir=${path.join(home, 'logs')}`,
          '-cp',
          classpath,
          'kafka.Kafka',
          propertiesFile,
        ],
        cwd: home,
      };
    },
    healthy: () => kafkaMetadataAnswers(bootstrap),
  };
}
