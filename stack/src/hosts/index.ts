// The multi-host local stack: hosts made of network namespaces, and services placed on them.
export { HostsError } from './errors.js';
export {
  DEFAULT_NETWORK,
  HOSTS_PREFIX,
  HostNetwork,
  hostsUnsupportedReason,
  killHostProcesses,
  pidsIn,
  sweepHosts,
  type Host,
  type NetworkSpec,
} from './netns.js';
export {
  KAFKA_CLUSTER_DEFAULTS,
  KafkaCluster,
  describePartitions,
  hostStackConfig,
  waitInIsr,
  waitIsrMembership,
  type Broker,
  type KafkaClusterOptions,
  type PartitionReplicas,
} from './kafka-cluster.js';
export { CassandraRing, type CassandraNode, type CassandraRingOptions } from './cassandra-ring.js';
export {
  SPARK_CLUSTER_DEFAULTS,
  SparkCluster,
  type ExecutorInfo,
  type SparkClusterOptions,
  type SparkNode,
  type SparkRole,
} from './spark-cluster.js';
