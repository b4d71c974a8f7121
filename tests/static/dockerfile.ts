// A Dockerfile replayed without Docker: there is no engine on the development machine nor in CI, so the
// tests that must know whether an image's build steps WORK (not only what they say) read the Dockerfile
// and run its stages here, into a scratch directory that stands for the image's file system.
//
// What is faithful: the instructions are the Dockerfile's own, parsed from it (never listed by hand);
// COPY takes from the build context exactly what the Dockerfile names, minus what .dockerignore excludes
// (so a file the image never gets cannot make a test pass), or from an earlier stage's replayed output;
// RUN runs its command text verbatim with /bin/sh -c (Docker's default shell), in the stage's WORKDIR,
// with the ARG and ENV values of the stage in scope and nothing else of the caller's environment.
//
// What stands in for what, and why:
//   - a base image (FROM node:…, maven:…, python:…) is the host's own tools: PATH, HOME and JAVA_HOME
//     are the host's; the image's own files are not there (a step that needs one fails here too).
//   - `RUN --mount=type=cache,target=…` is the host's cache of the same tool (~/.npm, ~/.m2,
//     ~/.cache/pip): the replay runs as the host user, whose HOME holds them.
//   - container paths in RUN commands and ENV values that lie under a WORKDIR's top directory (/app,
//     /src) are the scratch directory's; every other absolute path (/usr/bin, /tmp) is the host's.
//   - `pathShims`: executables put first on PATH for every RUN, for a tool that would reach the network
//     (the caller documents each).
// Anything else this replayer cannot do faithfully (ADD, heredocs, SHELL, bind/secret mounts, COPY
// globs or --from an image, .dockerignore negations) throws rather than being approximated.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export interface Instruction {
  /** Upper-case keyword: FROM, RUN, COPY, ... */
  keyword: string;
  /** The rest of the instruction, continuation lines joined. */
  args: string;
  /** 1-based line of the keyword, for messages. */
  line: number;
}

export interface Stage {
  /** The FROM reference as written (an image, an ARG reference or an earlier stage's name). */
  from: string;
  name: string | undefined;
  instructions: Instruction[];
}

export interface ParsedDockerfile {
  /** ARGs declared before the first FROM: their defaults, usable in FROM lines. */
  globalArgs: Map<string, string | undefined>;
  stages: Stage[];
}

/** Splits a Dockerfile into instructions: backslash continuations joined, comment lines dropped. */
export function parseDockerfile(text: string): ParsedDockerfile {
  const lines = text.split('\n');
  const instructions: Instruction[] = [];
  for (let i = 0; i < lines.length; i++) {
    const first = lines[i] ?? '';
    if (/^\s*(#|$)/.test(first)) continue;
    const start = i + 1;
    let joined = first;
    // Docker drops comment lines (and empty lines) inside a continued instruction before joining.
    while (/\\\s*$/.test(joined) && i + 1 < lines.length) {
      joined = joined.replace(/\\\s*$/, ' ');
      i++;
      const next = lines[i] ?? '';
      if (/^\s*#/.test(next)) {
        joined += '\\';
        continue;
      }
      joined += next;
    }
    const m = /^\s*([A-Za-z]+)\s*(.*)$/.exec(joined);
    if (!m?.[1]) throw new Error(`line ${start}: not an instruction: ${first}`);
    instructions.push({ keyword: m[1].toUpperCase(), args: (m[2] ?? '').trim(), line: start });
  }
  const globalArgs = new Map<string, string | undefined>();
  const stages: Stage[] = [];
  for (const ins of instructions) {
    if (ins.keyword === 'FROM') {
      const m = /^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i.exec(ins.args);
      if (!m?.[1]) throw new Error(`line ${ins.line}: cannot read FROM ${ins.args}`);
      stages.push({ from: m[1], name: m[2], instructions: [] });
    } else if (stages.length === 0) {
      if (ins.keyword !== 'ARG') throw new Error(`line ${ins.line}: ${ins.keyword} before the first FROM`);
      const [name, value] = splitArg(ins.args);
      globalArgs.set(name, value);
    } else {
      stages.at(-1)?.instructions.push(ins);
    }
  }
  return { globalArgs, stages };
}

function splitArg(args: string): [string, string | undefined] {
  const eq = args.indexOf('=');
  return eq < 0 ? [args.trim(), undefined] : [args.slice(0, eq).trim(), unquote(args.slice(eq + 1).trim())];
}

function unquote(s: string): string {
  return /^(["']).*\1$/.test(s) ? s.slice(1, -1) : s;
}

/** Docker's variable substitution in FROM, COPY, WORKDIR, ENV, ARG, USER: $X, ${X}, ${X:-default}, ${X:+alt}. */
export function expand(s: string, vars: ReadonlyMap<string, string | undefined>): string {
  return s.replace(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?::([-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g, (_all, braced, op, word, bare) => {
    const value = vars.get(braced ?? bare);
    if (op === '-') return value ? value : word;
    if (op === '+') return value ? word : '';
    return value ?? '';
  });
}

/** Words of an instruction's arguments, honouring double and single quotes. */
function words(s: string): string[] {
  const out: string[] = [];
  for (const m of s.matchAll(/"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g)) out.push(m[1] ?? m[2] ?? m[3] ?? '');
  return out;
}

/** Leading `--flag=value` / `--flag` words of COPY and RUN, and the rest. */
function flags(args: string): { flags: Map<string, string[]>; rest: string } {
  const out = new Map<string, string[]>();
  let rest = args;
  for (let m = /^--([a-z-]+)(?:=(\S*))?\s+/.exec(rest); m; m = /^--([a-z-]+)(?:=(\S*))?\s+/.exec(rest)) {
    const [all, name = '', value = ''] = m;
    out.set(name, [...(out.get(name) ?? []), value]);
    rest = rest.slice(all.length);
  }
  return { flags: out, rest };
}

/** The build context's .dockerignore as one predicate over context-relative paths (a/b/c). */
export function dockerignore(contextDir: string): (rel: string) => boolean {
  const file = path.join(contextDir, '.dockerignore');
  const patterns = existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l !== '' && !l.startsWith('#'))
    : [];
  const regexes = patterns.map((p) => {
    if (p.startsWith('!')) throw new Error(`.dockerignore: negation (${p}) is not replayed; teach tests/static/dockerfile.ts`);
    // Docker's patternmatcher: `**/` is any number of directories (also none), `**` anything, `*` and
    // `?` within one path element; a leading / or ./ means the context root.
    const clean = path.posix.normalize(p).replace(/^\/+/, '').replace(/^\.\//, '');
    let re = '';
    for (let i = 0; i < clean.length; i++) {
      const c = clean[i] ?? '';
      if (clean.startsWith('**/', i)) {
        re += '(?:.*/)?';
        i += 2;
      } else if (clean.startsWith('**', i)) {
        re += '.*';
        i += 1;
      } else if (c === '*') re += '[^/]*';
      else if (c === '?') re += '[^/]';
      else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
    return new RegExp(`^${re}$`);
  });
  // A path is excluded when a pattern matches it or one of its parent directories.
  return (rel: string) => {
    const parts = rel.split('/');
    for (let n = 1; n <= parts.length; n++) {
      const prefix = parts.slice(0, n).join('/');
      if (regexes.some((r) => r.test(prefix))) return true;
    }
    return false;
  };
}

export interface ReplayOptions {
  /** The build context (the repository root here). */
  context: string;
  /** An empty directory; each stage's file system is a directory in it. */
  scratch: string;
  /** Directories put first on PATH for every RUN (stand-ins for tools that would reach the network). */
  pathShims?: string[];
  /** Called with each RUN's output, for the test's log. */
  log?: (line: string) => void;
}

export interface StageResult {
  /** The directory standing for the stage's `/`. */
  root: string;
  workdir: string;
  user: string | undefined;
  /** ENV values at the end of the stage (container paths not rewritten). */
  env: Map<string, string>;
}

/** Builds one target of a parsed Dockerfile by replaying the stages it needs, in order, on the host. */
export class Replay {
  private readonly built = new Map<Stage, StageResult>();
  private readonly claimed = new Set<Stage>();
  private readonly ignored: (rel: string) => boolean;

  constructor(
    private readonly file: ParsedDockerfile,
    private readonly opts: ReplayOptions,
  ) {
    this.ignored = dockerignore(opts.context);
  }

  /** Async, so the test worker's event loop stays free during the long steps (Vitest's RPC times out). */
  build(target: string): Promise<StageResult> {
    return this.buildStage(this.stage(target));
  }

  private stage(name: string): Stage {
    const s = this.file.stages.find((st) => st.name === name);
    if (!s) throw new Error(`no stage named ${name}`);
    return s;
  }

  private async buildStage(stage: Stage): Promise<StageResult> {
    const done = this.built.get(stage);
    if (done) return done;
    const index = this.file.stages.indexOf(stage);
    const fromRef = expand(stage.from, this.file.globalArgs);
    const parent = this.file.stages.slice(0, index).find((s) => s.name === fromRef);
    let state: StageResult;
    if (parent) {
      // FROM an earlier stage continues in its directory: fine while one target needs one child of it.
      if (this.claimed.has(parent)) throw new Error(`two replayed stages derive from ${fromRef}: the replay cannot share its directory`);
      this.claimed.add(parent);
      const p = await this.buildStage(parent);
      state = { root: p.root, workdir: p.workdir, user: p.user, env: new Map(p.env) };
    } else {
      const root = path.join(this.opts.scratch, `${index}-${stage.name ?? 'stage'}`);
      mkdirSync(root, { recursive: true });
      state = { root, workdir: '/', user: undefined, env: new Map() };
    }
    // ARGs are per stage: a global one is seen only when re-declared (`ARG NAME`) inside the stage.
    const args = new Map<string, string | undefined>();
    for (const ins of stage.instructions) await this.apply(stage, ins, state, args);
    this.built.set(stage, state);
    return state;
  }

  private async apply(stage: Stage, ins: Instruction, st: StageResult, args: Map<string, string | undefined>): Promise<void> {
    const vars = new Map<string, string | undefined>([...args, ...st.env]);
    const where = `${stage.name ?? stage.from} line ${ins.line} (${ins.keyword} ${ins.args.slice(0, 80)})`;
    switch (ins.keyword) {
      case 'ARG': {
        const [name, value] = splitArg(ins.args);
        args.set(name, value !== undefined ? expand(value, vars) : this.file.globalArgs.get(name));
        return;
      }
      case 'ENV': {
        const ws = words(ins.args);
        if (ws.length === 2 && !ws[0]?.includes('=')) st.env.set(ws[0] ?? '', expand(ws[1] ?? '', vars));
        else
          for (const w of ws) {
            const eq = w.indexOf('=');
            if (eq < 1) throw new Error(`${where}: cannot read ENV ${w}`);
            st.env.set(w.slice(0, eq), expand(w.slice(eq + 1), vars));
          }
        return;
      }
      case 'WORKDIR':
        st.workdir = path.posix.resolve(st.workdir, expand(ins.args, vars));
        mkdirSync(this.inRoot(st, st.workdir), { recursive: true });
        return;
      case 'USER':
        st.user = expand(ins.args, vars);
        return;
      case 'COPY':
        await this.copy(where, st, ins.args, vars);
        return;
      case 'RUN':
        await this.run(where, st, ins.args, args);
        return;
      case 'CMD':
      case 'ENTRYPOINT':
      case 'EXPOSE':
      case 'LABEL':
      case 'HEALTHCHECK':
      case 'STOPSIGNAL':
      case 'VOLUME':
        return; // run-time metadata: nothing to build
      default:
        throw new Error(`${where}: ${ins.keyword} is not replayed; teach tests/static/dockerfile.ts`);
    }
  }

  private inRoot(st: StageResult, containerPath: string): string {
    return path.join(st.root, path.posix.resolve(st.workdir, containerPath));
  }

  private async copy(where: string, st: StageResult, raw: string, vars: ReadonlyMap<string, string | undefined>): Promise<void> {
    const { flags: f, rest } = flags(raw);
    for (const k of f.keys()) if (!['from', 'chown', 'chmod', 'link'].includes(k)) throw new Error(`${where}: COPY --${k} is not replayed`);
    const parts = rest.startsWith('[') ? (JSON.parse(rest) as string[]) : words(rest);
    const expanded = parts.map((p) => expand(p, vars));
    const dest = expanded.pop();
    if (!dest || expanded.length === 0) throw new Error(`${where}: COPY needs a source and a destination`);
    const from = f.get('from')?.[0];
    let sourceOf: (src: string) => { abs: string; rel: string | undefined };
    if (from !== undefined) {
      const fromStage = this.file.stages.find((s) => s.name === from);
      if (!fromStage) throw new Error(`${where}: COPY --from=${from} is not a stage of this Dockerfile (an image is not replayed)`);
      const out = await this.buildStage(fromStage);
      // Docker resolves a --from source against that stage's root, not its WORKDIR.
      sourceOf = (src) => ({ abs: path.join(out.root, path.posix.resolve('/', src)), rel: undefined });
    } else {
      sourceOf = (src) => {
        const rel = path.posix.normalize(src).replace(/^\/+/, '').replace(/\/+$/, '');
        return { abs: path.join(this.opts.context, rel), rel: rel === '.' ? '' : rel };
      };
    }
    const destIsDir = dest.endsWith('/') || expanded.length > 1;
    const destAbs = this.inRoot(st, dest);
    for (const src of expanded) {
      if (/[*?[]/.test(src)) throw new Error(`${where}: COPY globs are not replayed`);
      const { abs, rel } = sourceOf(src);
      if (!existsSync(abs) || (rel !== undefined && rel !== '' && this.ignored(rel))) {
        throw new Error(`${where}: COPY source ${src} is not in ${from === undefined ? 'the build context (after .dockerignore)' : `stage ${from}`}`);
      }
      if (statSync(abs).isDirectory()) {
        // A directory's contents go into the destination directory.
        this.copyTree(abs, rel, destAbs);
      } else {
        const target = destIsDir ? path.join(destAbs, path.basename(abs)) : destAbs;
        mkdirSync(path.dirname(target), { recursive: true });
        cpSync(abs, target);
      }
    }
  }

  /** Copies a directory; from the context (rel defined), without what .dockerignore excludes. */
  private copyTree(abs: string, rel: string | undefined, dest: string): void {
    mkdirSync(dest, { recursive: true });
    for (const entry of readdirSync(abs, { withFileTypes: true })) {
      const childRel = rel === undefined ? undefined : rel === '' ? entry.name : `${rel}/${entry.name}`;
      if (childRel !== undefined && this.ignored(childRel)) continue;
      const from = path.join(abs, entry.name);
      const to = path.join(dest, entry.name);
      if (entry.isDirectory()) this.copyTree(from, childRel, to);
      else cpSync(from, to, { verbatimSymlinks: true });
    }
  }

  private async run(where: string, st: StageResult, raw: string, args: ReadonlyMap<string, string | undefined>): Promise<void> {
    const { flags: f, rest } = flags(raw);
    for (const [k, values] of f) {
      if (k !== 'mount') throw new Error(`${where}: RUN --${k} is not replayed`);
      for (const v of values)
        if (!/(^|,)type=cache(,|$)/.test(v)) throw new Error(`${where}: RUN --mount=${v} is not replayed (only cache mounts: the host's cache)`);
    }
    if (rest.startsWith('[') || /<<-?\s*["']?\w+/.test(rest)) throw new Error(`${where}: exec-form and heredoc RUN are not replayed`);
    const rewrite = this.rewriter(st);
    const env: NodeJS.ProcessEnv = {};
    // The base image's environment, i.e. the host's tools (see the header).
    for (const k of ['PATH', 'HOME', 'JAVA_HOME', 'TMPDIR', 'LANG']) if (process.env[k] !== undefined) env[k] = process.env[k];
    env.PATH = [...(this.opts.pathShims ?? []), env.PATH ?? ''].join(path.delimiter);
    // Docker passes the stage's ARGs and ENVs to RUN as environment variables.
    for (const [k, v] of args) if (v !== undefined) env[k] = v;
    for (const [k, v] of st.env) env[k] = rewrite(v);
    const command = rewrite(rest);
    this.opts.log?.(`[${where}]\n$ ${command}`);
    const r = await exec('/bin/sh', ['-c', command], { cwd: this.inRoot(st, '.'), env });
    if (r.output.trim() !== '') this.opts.log?.(r.output.trimEnd());
    if (r.status !== 0) throw new Error(`${where} failed (exit ${r.status ?? r.signal}):\n${r.output.trimEnd()}`);
  }

  /** Container paths under a WORKDIR's top directory (/app, /src) -> the scratch root's. */
  private rewriter(st: StageResult): (s: string) => string {
    const tops = new Set<string>();
    for (const s of this.file.stages)
      for (const ins of s.instructions) if (ins.keyword === 'WORKDIR' && ins.args.startsWith('/')) tops.add(ins.args.split('/')[1] ?? '');
    tops.delete('');
    if (tops.size === 0) return (s) => s;
    const re = new RegExp(`(^|[\\s"'=:;(])/(${[...tops].map((t) => t.replace(/[.+^${}()|[\]\\]/g, '\\$&')).join('|')})(?=[/\\s"';:)]|$)`, 'g');
    return (s) => s.replace(re, (_all, before: string, top: string) => `${before}${path.join(st.root, top)}`);
  }
}

/** A child process to its end, stdout and stderr interleaved as written, without blocking the event loop. */
export function exec(
  cmd: string,
  args: readonly string[],
  opts: { cwd: string; env?: NodeJS.ProcessEnv },
): Promise<{ status: number | null; signal: NodeJS.Signals | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => chunks.push(b));
    child.stderr.on('data', (b: Buffer) => chunks.push(b));
    child.on('error', reject);
    child.on('close', (status, signal) => resolve({ status, signal, output: Buffer.concat(chunks).toString('utf8') }));
  });
}
