export { loadStackConfig, ConfigError, STACK_ENV_DEFAULTS, REPO_ROOT, type StackConfig } from './config.js';
export { up, down, status, preflight, rssMiB, type UpResult, type ServiceStatus, type Reporter } from './stack.js';
export { checkSparkClasspath, assertSparkJarsDir, PreflightError } from './preflight.js';
export { ServiceStartError, PortInUseError } from './errors.js';
export { stackPaths, type StackPaths } from './paths.js';
export { pinnedVersions, type PinnedVersions } from './versions.js';
export { masterStatus, tcpAnswers, kafkaMetadataAnswers, cqlAnswers } from './health.js';
export { grpcAnswers } from './grpc-probe.js';
export { findOurProcesses } from './process.js';
