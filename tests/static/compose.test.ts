// Static checks of docker-compose.yml. No Docker engine here: the file is parsed, interpolated and
// validated by Docker Compose v2 itself (`docker-compose config`, installed by
// make/install-compose-tools.sh), and the resolved model it prints is what the checks read.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  composeBin,
  composeConfig,
  composeRun,
  listFiles,
  memoryBytes,
  pomProperty,
  readRepoFile,
  repoPath,
  type ComposeProject,
  type ComposeService,
} from './tools.js';

const COMPOSE_FILE = repoPath('docker-compose.yml');
const ONE_SHOT_LABEL = 'dev.streamline.one-shot';

// Ports of DESIGN.md ("Ports"): container port -> service, as published on the host.
const PUBLISHED: Record<string, number[]> = {
  kafka: [9092],
  cassandra: [9042],
  'spark-master': [8080, 7077],
  'spark-connect': [15002, 4040],
  'schema-registry': [8081],
  'control-center': [9021],
};
const WORKER_UI_PORT = 8082;

// Loaded once; a missing Compose makes every test fail with the install hint (never a silent skip).
let loaded: { project: ComposeProject; withTools: ComposeProject } | Error | undefined;
const load = () => {
  if (loaded instanceof Error) throw loaded;
  if (!loaded) throw new Error('docker-compose.yml was not loaded');
  return loaded;
};
const isOneShot = (s: ComposeService): boolean => s.labels?.[ONE_SHOT_LABEL] === 'true';
const service = (p: ComposeProject, name: string): ComposeService => {
  const s = p.services[name];
  if (!s) throw new Error(`docker-compose.yml has no service ${name}`);
  return s;
};

function tempFile(name: string, content: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'streamline-compose-'));
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return file;
}

beforeAll(() => {
  try {
    composeBin(); // throws with the install hint if Compose v2 is missing
    loaded = { project: composeConfig(), withTools: composeConfig({ profiles: ['tools'] }) };
  } catch (err) {
    loaded = err instanceof Error ? err : new Error(String(err));
  }
});

it('Docker Compose v2 is installed and docker-compose.yml loads', () => {
  expect(load().project.name).toBe('streamline');
});

describe('docker-compose.yml is valid for Docker Compose v2', () => {
  it('passes `config` (default services and the tools profile)', () => {
    expect(composeRun(['config', '--quiet']).status).toBe(0);
    const r = composeRun(['config', '--quiet'], { profiles: ['tools'] });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(Object.keys(load().project.services).sort()).toEqual(
      ['cassandra', 'cassandra-init', 'control-center', 'kafka', 'producer', 'schema-registry', 'spark-connect', 'spark-master', 'spark-worker'].sort(),
    );
    expect(Object.keys(load().withTools.services)).toContain('job');
  });

  it('is a Compose Specification file: no top-level `version:`', () => {
    expect(readRepoFile('docker-compose.yml')).not.toMatch(/^version\s*:/m);
  });

  it('stays valid with `--scale spark-worker=3` (no container_name, no host port on workers)', () => {
    const worker = service(load().project, 'spark-worker');
    expect(worker.container_name).toBeUndefined();
    expect(worker.ports ?? []).toEqual([]);
    // What `up --scale spark-worker=3` sets, as a file: compose checks it against the rest.
    const scale3 = tempFile('scale.yml', 'services:\n  spark-worker:\n    scale: 3\n');
    const scaled = composeConfig({ files: [COMPOSE_FILE, scale3] });
    expect(service(scaled, 'spark-worker').scale).toBe(3);
    // Control: the same with a fixed container name is refused by compose, so the check above is real.
    const named = tempFile('named.yml', 'services:\n  spark-worker:\n    scale: 3\n    container_name: spark-worker\n');
    const r = composeRun(['config', '--quiet'], { files: [COMPOSE_FILE, named] });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/container.?name/i);
  });

  it('no service has a fixed container_name (it could not be scaled or run twice)', () => {
    for (const [name, s] of Object.entries(load().withTools.services)) expect(s.container_name, name).toBeUndefined();
  });
});

describe('images', () => {
  it('every image is pinned to an explicit tag (no latest, no untagged)', () => {
    for (const [name, s] of Object.entries(load().withTools.services)) {
      expect(s.image, `${name} has no image name`).toBeTruthy();
      const image = s.image ?? '';
      const lastPart = image.split('/').pop() ?? '';
      const tag = lastPart.includes('@') ? lastPart.split('@')[1] : lastPart.split(':')[1];
      expect(tag, `${name}: ${image} is untagged`).toBeTruthy();
      expect(tag, `${name}: ${image} uses latest`).not.toBe('latest');
    }
  });

  it('the Confluent images are one Confluent Platform 7.9.x release (Kafka 3.9, KRaft, classic Control Center)', () => {
    const tags = ['kafka', 'schema-registry', 'control-center'].map((n) => service(load().project, n).image ?? '');
    expect(tags[0]).toMatch(/^confluentinc\/cp-kafka:7\.9\.\d+$/);
    expect(tags[1]).toMatch(/^confluentinc\/cp-schema-registry:7\.9\.\d+$/);
    expect(tags[2]).toMatch(/^confluentinc\/cp-enterprise-control-center:7\.9\.\d+$/);
    expect(new Set(tags.map((t) => t.split(':')[1])).size).toBe(1);
  });

  it('Cassandra is the version of jars/pom.xml (the local stack runs the same)', () => {
    const version = pomProperty('cassandra.version');
    expect(service(load().project, 'cassandra').image).toBe(`cassandra:${version}`);
    expect(service(load().project, 'cassandra-init').image).toBe(`cassandra:${version}`);
  });

  it('master, workers and Connect server run the one image built from docker/spark/, tagged with the pom versions', () => {
    const spark = pomProperty('spark.version');
    const scala = pomProperty('scala.binary.version');
    for (const name of ['spark-master', 'spark-worker', 'spark-connect']) {
      const s = service(load().project, name);
      expect(s.build?.dockerfile, name).toBe('docker/spark/Dockerfile');
      expect(path.resolve(s.build?.context ?? ''), name).toBe(path.dirname(COMPOSE_FILE));
      expect(s.image, name).toBe(`streamline-spark:${spark}-scala${scala}`);
    }
    expect(service(load().project, 'spark-master').command).toEqual(['master']);
    expect(service(load().project, 'spark-worker').command).toEqual(['worker']);
    expect(service(load().project, 'spark-connect').command).toEqual(['connect']);
  });

  it('the Spark base image is chosen by SPARK_BASE_IMAGE, else the Dockerfile default applies', () => {
    expect(service(load().project, 'spark-connect').build?.args ?? {}).not.toHaveProperty('SPARK_BASE_IMAGE');
    const p = composeConfig({ env: { SPARK_BASE_IMAGE: 'bitnamilegacy/spark:3.5.7' } });
    expect(service(p, 'spark-connect').build?.args?.SPARK_BASE_IMAGE).toBe('bitnamilegacy/spark:3.5.7');
  });

  it('producer and job are built from docker/producer/ (targets producer and job)', () => {
    expect(service(load().project, 'producer').build).toMatchObject({ dockerfile: 'docker/producer/Dockerfile', target: 'producer' });
    expect(service(load().withTools, 'job').build).toMatchObject({ dockerfile: 'docker/producer/Dockerfile', target: 'job' });
  });
});

describe('health and start order', () => {
  it('every long-running service has a healthcheck', () => {
    for (const [name, s] of Object.entries(load().withTools.services)) {
      if (isOneShot(s)) {
        expect(s.restart ?? 'no', `${name} is one-shot`).toBe('no');
        continue;
      }
      expect(s.healthcheck?.test, `${name} has no healthcheck`).toBeDefined();
      expect(s.healthcheck?.disable ?? false, name).toBe(false);
      expect(s.healthcheck?.test?.[0], name).toMatch(/^CMD(-SHELL)?$/);
    }
  });

  it('dependencies wait for health (or for a one-shot to complete successfully)', () => {
    for (const [name, s] of Object.entries(load().withTools.services)) {
      for (const [dep, cfg] of Object.entries(s.depends_on ?? {})) {
        const target = service(load().withTools, dep);
        const expected = isOneShot(target) ? 'service_completed_successfully' : 'service_healthy';
        expect(cfg.condition, `${name} -> ${dep}`).toBe(expected);
      }
    }
  });

  it('the schema is applied before the Connect server and the job start, after Cassandra is healthy', () => {
    expect(service(load().project, 'cassandra-init').depends_on?.cassandra?.condition).toBe('service_healthy');
    expect(service(load().project, 'spark-connect').depends_on?.['cassandra-init']?.condition).toBe('service_completed_successfully');
    expect(service(load().withTools, 'job').depends_on?.['spark-connect']?.condition).toBe('service_healthy');
  });
});

describe('network: ports and addresses', () => {
  it('host ports are those of DESIGN.md, bound to 127.0.0.1 by default', () => {
    const published: Record<string, number[]> = {};
    for (const [name, s] of Object.entries(load().withTools.services)) {
      for (const p of s.ports ?? []) {
        expect(p.host_ip, `${name}:${p.target}`).toBe('127.0.0.1');
        expect(Number(p.published), `${name}:${p.target} is published on another host port`).toBe(p.target);
        (published[name] ??= []).push(p.target);
      }
    }
    for (const ports of Object.values(published)) ports.sort((a, b) => a - b);
    const expected = Object.fromEntries(Object.entries(PUBLISHED).map(([k, v]) => [k, [...v].sort((a, b) => a - b)]));
    expect(published).toEqual(expected);
    expect(service(load().project, 'spark-worker').expose).toEqual([String(WORKER_UI_PORT)]);
    expect(service(load().project, 'spark-worker').environment?.SPARK_WORKER_WEBUI_PORT).toBe(String(WORKER_UI_PORT));
  });

  it('the bind address is overridable with BIND_ADDRESS', () => {
    const p = composeConfig({ env: { BIND_ADDRESS: '0.0.0.0' } });
    const ips = Object.values(p.services).flatMap((s) => (s.ports ?? []).map((x) => x.host_ip));
    expect(ips.length).toBeGreaterThan(0);
    expect(new Set(ips)).toEqual(new Set(['0.0.0.0']));
  });

  it("every published host port is overridable by an env variable (Airflow's usual 8080 collides with the master UI)", () => {
    const overrides: Record<string, [string, number]> = {
      KAFKA_HOST_PORT: ['kafka', 9092],
      CASSANDRA_HOST_PORT: ['cassandra', 9042],
      SPARK_MASTER_UI_HOST_PORT: ['spark-master', 8080],
      SPARK_MASTER_HOST_PORT: ['spark-master', 7077],
      SPARK_CONNECT_HOST_PORT: ['spark-connect', 15002],
      SPARK_DRIVER_UI_HOST_PORT: ['spark-connect', 4040],
      SCHEMA_REGISTRY_HOST_PORT: ['schema-registry', 8081],
      CONTROL_CENTER_HOST_PORT: ['control-center', 9021],
    };
    const env = Object.fromEntries(Object.keys(overrides).map((k, i) => [k, String(20_000 + i)]));
    const p = composeConfig({ env });
    const published = new Map<string, string>();
    for (const [name, s] of Object.entries(p.services)) for (const port of s.ports ?? []) published.set(`${name}:${port.target}`, String(port.published));
    for (const [k, [svc, target]] of Object.entries(overrides)) expect(published.get(`${svc}:${target}`), k).toBe(env[k]);
    // Every published port is covered by one of them.
    expect(published.size).toBe(Object.keys(overrides).length);
  });

  it('Kafka runs KRaft (no ZooKeeper) with an internal kafka:29092 and a host localhost:9092 listener', () => {
    const env = service(load().project, 'kafka').environment ?? {};
    expect(env.KAFKA_PROCESS_ROLES).toBe('broker,controller');
    expect(env.CLUSTER_ID).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(env.KAFKA_CONTROLLER_QUORUM_VOTERS).toBe('1@kafka:9093');
    expect(env.KAFKA_CONTROLLER_LISTENER_NAMES).toBe('CONTROLLER');
    expect(env.KAFKA_ADVERTISED_LISTENERS).toBe('PLAINTEXT://kafka:29092,PLAINTEXT_HOST://localhost:9092');
    expect(Object.keys(env).some((k) => k.includes('ZOOKEEPER'))).toBe(false);
    expect(Object.keys(load().withTools.services).some((k) => k.includes('zookeeper'))).toBe(false);
  });

  it('no container is told to reach another through localhost', () => {
    // The one legitimate use: the host listener Kafka advertises to clients on the host.
    const allowed = new Set(['kafka/KAFKA_ADVERTISED_LISTENERS']);
    for (const [name, s] of Object.entries(load().withTools.services)) {
      for (const [key, value] of Object.entries(s.environment ?? {})) {
        if (allowed.has(`${name}/${key}`)) {
          expect(value).not.toMatch(/PLAINTEXT:\/\/(localhost|127\.)/);
          continue;
        }
        expect(value ?? '', `${name} ${key}`).not.toMatch(/localhost|127\.0\.0\.1|::1/);
      }
    }
  });

  it('the clients use the service names: Kafka kafka:29092, Schema Registry, Connect, Cassandra', () => {
    const producer = service(load().project, 'producer').environment ?? {};
    expect(producer.KAFKA_BOOTSTRAP_SERVERS).toBe('kafka:29092');
    expect(producer.SCHEMA_REGISTRY_URL).toBe('http://schema-registry:8081');
    expect(producer.KAFKA_TOPIC).toBe('users_created');
    const job = service(load().withTools, 'job').environment ?? {};
    expect(job.SPARK_REMOTE).toBe('sc://spark-connect:15002');
    expect(job.KAFKA_BOOTSTRAP_SERVERS).toBe('kafka:29092');
    expect(job.CASSANDRA_CONTACT_POINTS).toBe('cassandra:9042');
    expect(job.CASSANDRA_KEYSPACE).toBe('spark_streams');
    expect(service(load().project, 'control-center').environment?.CONTROL_CENTER_BOOTSTRAP_SERVERS).toBe('kafka:29092');
    expect(service(load().project, 'schema-registry').environment?.SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS).toMatch(/kafka:29092$/);
  });
});

describe('Cassandra authentication and schema', () => {
  it('cassandra enables PasswordAuthenticator before the official entrypoint runs', () => {
    const c = service(load().project, 'cassandra');
    expect(c.entrypoint).toEqual(['bash', '/streamline/entrypoint.sh']);
    expect(c.command).toEqual(['cassandra', '-f']);
    expect(c.volumes?.some((v) => v.type === 'bind' && v.target === '/streamline' && path.resolve(v.source ?? '') === repoPath('docker', 'cassandra'))).toBe(
      true,
    );
    expect(readRepoFile('docker', 'cassandra', 'entrypoint.sh')).toMatch(/enable-auth\.sh[\s\S]*exec docker-entrypoint\.sh "\$@"/);
    expect(c.healthcheck?.test).toEqual(['CMD', 'bash', '/streamline/healthcheck.sh']);
  });

  it('cassandra-init applies cql/*.cql with the configured credentials and keyspace', () => {
    const init = service(load().project, 'cassandra-init');
    expect(init.entrypoint).toEqual(['bash', '/streamline/init.sh']);
    expect(init.volumes?.some((v) => v.type === 'bind' && v.target === '/cql' && path.resolve(v.source ?? '') === repoPath('cql') && v.read_only)).toBe(true);
    expect(init.environment).toMatchObject({
      CASSANDRA_HOST: 'cassandra',
      CASSANDRA_USERNAME: 'cassandra',
      CASSANDRA_KEYSPACE: 'spark_streams',
      CQL_DIR: '/cql',
    });
    const custom = composeConfig({ env: { CASSANDRA_USERNAME: 'etl', CASSANDRA_PASSWORD: 's3cret', CASSANDRA_KEYSPACE: 'users' } });
    for (const name of ['cassandra', 'cassandra-init']) {
      expect(service(custom, name).environment, name).toMatchObject({ CASSANDRA_USERNAME: 'etl', CASSANDRA_PASSWORD: 's3cret', CASSANDRA_KEYSPACE: 'users' });
    }
  });
});

describe('volumes and memory', () => {
  it('streaming checkpoints live in a named volume mounted by the driver (and the executors) at /checkpoints', () => {
    const mounts = (name: string) => (service(load().project, name).volumes ?? []).filter((v) => v.type === 'volume' && v.source === 'checkpoints');
    expect(mounts('spark-connect').map((v) => v.target)).toEqual(['/checkpoints']);
    expect(mounts('spark-worker').map((v) => v.target)).toEqual(['/checkpoints']);
    expect(load().project.volumes).toHaveProperty('checkpoints');
    expect(service(load().withTools, 'job').environment?.CHECKPOINT_LOCATION).toBe('/checkpoints');
  });

  it('every service has a memory limit, and the default stack fits in 8 GB', () => {
    let total = 0;
    for (const [name, s] of Object.entries(load().withTools.services)) {
      const limit = s.mem_limit ?? s.deploy?.resources?.limits?.memory;
      expect(limit, `${name} has no memory limit`).toBeDefined();
      const bytes = memoryBytes(String(limit));
      // Long-running services of the default profile run together; one-shots exit.
      if (!isOneShot(s) && !(s.profiles ?? []).length) total += bytes;
    }
    expect(total / 1024 ** 3).toBeLessThanOrEqual(8);
  });
});

describe('environment variable names are the ones the code reads', () => {
  // The TypeScript packages are the readers of the clients' variables; scan their sources (not tests)
  // for each name, wherever it appears: strict that it appears, tolerant of where.
  const tsSources = (): Map<string, string> => {
    const files = ['producer/src', 'spark-job/src', 'stack/src', 'spark-connect/src'].flatMap((d) =>
      listFiles(repoPath(d), (f) => f.endsWith('.ts') && !f.endsWith('.test.ts')),
    );
    return new Map(files.map((f) => [path.relative(repoPath(), f), readFileSync(f, 'utf8')]));
  };
  const readBy = (sources: Map<string, string>, name: string): string[] =>
    [...sources].filter(([, text]) => new RegExp(`\\b${name}\\b`).test(text)).map(([f]) => f);

  it('producer and job: every variable compose sets is read by the TypeScript code', () => {
    const sources = tsSources();
    const missing: string[] = [];
    for (const name of ['producer', 'job']) {
      for (const key of Object.keys(service(load().withTools, name).environment ?? {})) {
        if (readBy(sources, key).length === 0) missing.push(`${name}: ${key}`);
      }
    }
    expect(missing, `set in docker-compose.yml but read by no .ts file under producer/src, spark-job/src, stack/src, spark-connect/src`).toEqual([]);
  });

  it("the project's configuration names (DESIGN.md) are all used by compose", () => {
    const names = [
      'SPARK_REMOTE',
      'KAFKA_BOOTSTRAP_SERVERS',
      'KAFKA_TOPIC',
      'CASSANDRA_CONTACT_POINTS',
      'CASSANDRA_USERNAME',
      'CASSANDRA_PASSWORD',
      'CASSANDRA_KEYSPACE',
      'CHECKPOINT_LOCATION',
      'SCHEMA_REGISTRY_URL',
      'RANDOMUSER_URL',
    ];
    const set = new Set(['producer', 'job'].flatMap((n) => Object.keys(service(load().withTools, n).environment ?? {})));
    expect(names.filter((n) => !set.has(n))).toEqual([]);
  });

  it('spark-connect, spark-master, spark-worker: every variable is read by the Spark image entrypoint or by Spark', () => {
    const entrypoint = readRepoFile('docker', 'spark', 'bin', 'entrypoint.sh') + readRepoFile('docker', 'spark', 'bin', 'healthcheck.sh');
    // Read by Spark's own scripts/launcher (documented Spark environment variables).
    const sparkOwn = new Set(['SPARK_WORKER_CORES', 'SPARK_WORKER_MEMORY', 'SPARK_DAEMON_MEMORY', 'SPARK_WORKER_WEBUI_PORT']);
    const missing: string[] = [];
    for (const name of ['spark-master', 'spark-worker', 'spark-connect']) {
      for (const key of Object.keys(service(load().project, name).environment ?? {})) {
        if (!sparkOwn.has(key) && !new RegExp(`\\b${key}\\b`).test(entrypoint)) missing.push(`${name}: ${key}`);
      }
    }
    expect(missing).toEqual([]);
  });
});

describe('the bitnami Spark cluster (docker-compose.bitnami.yml)', () => {
  const files = [repoPath('docker-compose.yml'), repoPath('docker-compose.bitnami.yml')];
  let project: ComposeProject;
  beforeAll(() => {
    project = composeConfig({ files });
  });

  it('builds every Spark image on bitnamilegacy/spark:3.5.6 with every Spark artifact at 3.5.6, bitnami paths and uid', () => {
    for (const name of ['spark-master', 'spark-worker', 'spark-connect']) {
      const s = service(project, name);
      expect(s.build?.args, name).toEqual({
        SPARK_BASE_IMAGE: 'bitnamilegacy/spark:3.5.6',
        SPARK_VERSION: '3.5.6',
        SPARK_DIST_JARS: '/opt/bitnami/spark/jars',
        SPARK_UID: '1001',
      });
      expect(s.user, name).toBe('1001');
      expect(s.image, name).toBe('streamline-spark:3.5.6-scala2.12-bitnami');
    }
  });

  it("starts master and worker through bitnami's own SPARK_MODE entrypoint", () => {
    for (const [name, mode] of [
      ['spark-master', 'master'],
      ['spark-worker', 'worker'],
    ] as const) {
      const s = service(project, name);
      expect(s.entrypoint, name).toEqual(['/opt/bitnami/scripts/spark/entrypoint.sh']);
      expect(s.command, name).toEqual(['/opt/bitnami/scripts/spark/run.sh']);
      expect(s.environment?.SPARK_MODE, name).toBe(mode);
    }
    expect(service(project, 'spark-worker').environment?.SPARK_MASTER_URL).toBe('spark://spark-master:7077');
    // The Connect server has no bitnami mode: the image's own entrypoint runs it, as in the default.
    expect(service(project, 'spark-connect').command).toEqual(['connect']);
  });

  it('the default stack builds on apache/spark with the Dockerfile defaults (no build arg set)', () => {
    const args = service(load().project, 'spark-master').build?.args ?? {};
    for (const v of Object.values(args)) expect(v ?? '').toBe('');
  });
});

describe('the airflow profile', () => {
  let project: ComposeProject;
  beforeAll(() => {
    project = composeConfig({ profiles: ['airflow'] });
  });
  const airflowServices = ['airflow-apiserver', 'airflow-scheduler', 'airflow-dag-processor', 'airflow-triggerer'];

  it('runs PostgreSQL and the four Airflow components, none of them without the profile', () => {
    for (const name of ['postgres', 'airflow-init', ...airflowServices]) expect(Object.keys(project.services), name).toContain(name);
    for (const name of Object.keys(load().project.services)) expect(name).not.toMatch(/airflow|postgres/);
  });

  it('pins postgres and builds Airflow on a pinned apache/airflow with the producer workspace', () => {
    expect(service(project, 'postgres').image).toMatch(/^postgres:\d+\.\d+-/);
    const dockerfile = readRepoFile('docker', 'airflow', 'Dockerfile');
    expect(dockerfile).toMatch(/^ARG AIRFLOW_IMAGE=apache\/airflow:3\.\d+\.\d+-python3\.\d+$/m);
    for (const name of ['airflow-init', ...airflowServices]) {
      const s = service(project, name);
      expect(s.build?.dockerfile, name).toBe('docker/airflow/Dockerfile');
      expect(s.environment?.AIRFLOW__DATABASE__SQL_ALCHEMY_CONN, name).toMatch(/^postgresql\+psycopg2:\/\/airflow:[^@]+@postgres\/airflow$/);
      expect(s.environment?.KAFKA_BOOTSTRAP_SERVERS, name).toBe('kafka:29092');
      expect(
        (s.volumes ?? []).map((v) => `${path.relative(repoPath(), v.source ?? '')}:${v.target}`),
        name,
      ).toContain('dags:/opt/airflow/dags');
    }
  });

  it('gives every long-running Airflow service a healthcheck, waiting on the migration', () => {
    for (const name of ['postgres', ...airflowServices]) expect(service(project, name).healthcheck?.test, name).toBeDefined();
    for (const name of airflowServices) expect(service(project, name).depends_on?.['airflow-init']?.condition, name).toBe('service_completed_successfully');
  });

  it('publishes the UI on 8088 by default (8080 is the Spark master UI), overridable', () => {
    const ports = (p: ComposeProject) => (service(p, 'airflow-apiserver').ports ?? []).map((x) => [x.target, String(x.published)]);
    expect(ports(project)).toEqual([[8080, '8088']]);
    expect(ports(composeConfig({ profiles: ['airflow'], env: { AIRFLOW_HOST_PORT: '18088' } }))).toEqual([[8080, '18088']]);
  });
});
