import { errorKind } from '@streamline/core';

/** A host (network namespace), its link, or a service on it could not be made, reached or removed. */
export class HostsError extends errorKind({ exitCode: 3, retriable: false }) {}
