// @streamline/core: what every streamline component agrees on. Nothing here knows the producer, the job
// or the stack; they all import it.
export {
  StreamlineError,
  errorKind,
  ConfigError,
  KafkaUnreachableError,
  KafkaTopicError,
  errorMessage,
  rootCause,
  type StreamlineErrorOptions,
  type ErrorKind,
} from './errors.js';
export { SHARED_SETTINGS, REPO_ROOT, setting, settingIfSet, runPath, type Env, type SharedSettingName } from './settings.js';
export {
  parseHostPort,
  parseHostPortList,
  formatHostPort,
  parseBootstrapServers,
  parseTopic,
  parseCqlIdentifier,
  parseInteger,
  parsePort,
  type HostPort,
} from './validate.js';
export { ensureTopic, withAdmin, type TopicSpec, type TopicState, type EnsureTopicOptions, type AdminTarget } from './topic.js';
export { onShutdownSignals } from './shutdown-signals.js';
