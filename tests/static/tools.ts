// Shared helpers of the static checks (no engine, no services): where the repository is, how to find
// the external tools installed by make/install-compose-tools.sh, and how to read jars/pom.xml.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const repoPath = (...parts: string[]): string => path.join(REPO_ROOT, ...parts);
export const readRepoFile = (...parts: string[]): string => readFileSync(repoPath(...parts), 'utf8');

const INSTALL_HINT = 'run `make compose-tools` (`make test` does it)';

/**
 * Finds an executable: $ENV_VAR, then the tools dir of make/install-compose-tools.sh, then $PATH.
 * Throws (never skips) when it is missing, so a CI without the tool fails loudly.
 */
export function findTool(name: string, envVar: string): string {
  const candidates: string[] = [];
  const fromEnv = process.env[envVar];
  if (fromEnv) candidates.push(fromEnv);
  const toolsDir = process.env.STREAMLINE_TOOLS_DIR ?? path.join(homedir(), '.cache', 'streamline-tools');
  candidates.push(path.join(toolsDir, 'bin', name));
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) if (dir) candidates.push(path.join(dir, name));
  for (const c of candidates) {
    try {
      if (statSync(c).isFile()) return c;
    } catch {
      // not there
    }
  }
  throw new Error(`${name} not found (looked at $${envVar}, ${toolsDir}/bin and $PATH): ${INSTALL_HINT}`);
}

export function run(cmd: string, args: readonly string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string; input?: string } = {}): SpawnSyncReturns<string> {
  const r = spawnSync(cmd, args, {
    cwd: opts.cwd ?? REPO_ROOT,
    env: opts.env ?? process.env,
    encoding: 'utf8',
    input: opts.input,
    timeout: 120_000,
    maxBuffer: 32 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  return r;
}

/** Docker Compose v2, standalone binary (the same code as the `docker compose` plugin). */
export function composeBin(): string {
  const bin = findTool('docker-compose', 'COMPOSE_BIN');
  const v = run(bin, ['version', '--short']);
  const version = v.stdout.trim();
  if (v.status !== 0 || !/^v?2\./.test(version)) {
    throw new Error(`${bin} is not Docker Compose v2 (version: ${JSON.stringify(version || v.stderr)}): ${INSTALL_HINT}`);
  }
  return bin;
}

/**
 * An environment for compose without any of the variables docker-compose.yml interpolates, so the
 * checks see the defaults whatever the developer's shell exports; `extra` sets some on purpose.
 */
export function composeEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const k of ['PATH', 'HOME', 'TMPDIR', 'LANG']) if (process.env[k] !== undefined) env[k] = process.env[k];
  // No engine here: make sure nothing tries to reach one.
  env.DOCKER_HOST = 'unix:///nonexistent/docker.sock';
  return { ...env, ...extra };
}

export interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile?: string; target?: string; args?: Record<string, string | null> };
  container_name?: string;
  command?: string[] | null;
  entrypoint?: string[] | null;
  environment?: Record<string, string | null>;
  ports?: Array<{ host_ip?: string; target: number; published?: string; protocol?: string }>;
  expose?: string[];
  user?: string;
  healthcheck?: { test?: string[]; disable?: boolean; interval?: string; timeout?: string; retries?: number; start_period?: string };
  depends_on?: Record<string, { condition: string; required?: boolean }>;
  labels?: Record<string, string>;
  mem_limit?: string;
  profiles?: string[];
  restart?: string;
  scale?: number;
  deploy?: { replicas?: number; resources?: { limits?: { memory?: string } } };
  volumes?: Array<{ type: string; source?: string; target: string; read_only?: boolean }>;
}
export interface ComposeProject {
  name: string;
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

/** `docker-compose [files] [profiles] config --format json`, parsed; throws with compose's message. */
export function composeConfig(opts: { files?: string[]; profiles?: string[]; env?: Record<string, string>; stdin?: string } = {}): ComposeProject {
  const r = composeRun(['config', '--format', 'json'], opts);
  if (r.status !== 0) throw new Error(`docker-compose config failed (exit ${r.status}):\n${r.stderr}`);
  return JSON.parse(r.stdout) as ComposeProject;
}

export function composeRun(
  args: string[],
  opts: { files?: string[]; profiles?: string[]; env?: Record<string, string>; stdin?: string } = {},
): SpawnSyncReturns<string> {
  const files = opts.files ?? [repoPath('docker-compose.yml')];
  const full = [...files.flatMap((f) => ['-f', f]), ...(opts.profiles ?? []).flatMap((p) => ['--profile', p]), ...args];
  return run(composeBin(), full, { env: composeEnv(opts.env), ...(opts.stdin !== undefined ? { input: opts.stdin } : {}) });
}

/** A <property> of jars/pom.xml (the single source of the Java-side versions). */
export function pomProperty(name: string): string {
  const pom = readRepoFile('jars', 'pom.xml');
  const m = new RegExp(`<${name.replace(/\./g, '\\.')}>\\s*([^<\\s]+)\\s*</${name.replace(/\./g, '\\.')}>`).exec(pom);
  if (!m?.[1]) throw new Error(`jars/pom.xml has no <${name}> property`);
  return m[1];
}

/** Files under dir (recursively) whose name matches, skipping node_modules, generated code and dot dirs. */
export function listFiles(dir: string, match: (file: string) => boolean): string[] {
  const out: string[] = [];
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'gen' || entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(full, match));
    else if (match(entry.name)) out.push(full);
  }
  return out;
}

/** Bytes of a compose memory value: "1342177280", "512m", "1g", "1.5g". */
export function memoryBytes(v: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([bkmg]?)b?$/i.exec(v.trim());
  if (!m?.[1]) throw new Error(`not a memory size: ${v}`);
  const unit = (m[2] ?? '').toLowerCase();
  const mult = unit === 'g' ? 1024 ** 3 : unit === 'm' ? 1024 ** 2 : unit === 'k' ? 1024 : 1;
  return Number(m[1]) * mult;
}
