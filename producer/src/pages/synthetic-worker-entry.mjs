// Entry of the synthetic source's worker thread. The producer runs its TypeScript through tsx, whose
// loader hooks belong to the thread that registered them: a worker thread starts without them, and
// would refuse a .ts file. This file (plain JavaScript) registers tsx in the worker, then loads it.
import { register } from 'tsx/esm/api';

register();
await import('./synthetic-worker-main.ts');
