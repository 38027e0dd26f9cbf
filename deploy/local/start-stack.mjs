// npm start: the whole stack on this machine in the foreground. Starts the dev Kafka broker
// (127.0.0.1:9092) unless one is running, builds, starts the six services (each runs its own
// migrations at start-up) and streams their logs. Ctrl-C stops the services and the broker it started.
// DATABASE_URL (default: the local superuser `postgres`) is only used to create each service's
// Postgres roles and schema (docs/security.md, "Postgres roles"); every service then runs as its own
// login role `tally_<service>` and migrates as `tally_<service>_owner`.
import { execFileSync, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const env = { ...process.env };
// Dev-only first admin (identity creates it at start-up); set both variables to override.
if (!env.TALLY_ADMIN_EMAIL && !env.TALLY_ADMIN_PASSWORD) {
  env.TALLY_ADMIN_EMAIL = 'admin@tally.local';
  env.TALLY_ADMIN_PASSWORD = 'tally-admin-dev-1';
  // Admins sign in with TOTP: the dev admin's seed (refused in production), for an authenticator app
  // or `node -e "console.log(require('otplib').generateSync({ secret: process.argv[1] }))" <seed>`.
  env.TALLY_ADMIN_TOTP_SECRET ??= 'MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U';
}
// Dev only: the demo (npm run demo) signs in 60 users and more from this one address, again on each
// run; the gateway's default of 200 password attempts per IP per 15 minutes is for production.
env.CREDENTIAL_RATE_LIMIT_PER_IP ??= '5000';
// Mail goes to a local SMTP sink (a real SMTP server) unless SMTP_URL names a mail server.
const smtpPort = Number(env.DEV_SMTP_PORT ?? 1025);
const startSink = !env.SMTP_URL;
if (startSink) env.SMTP_URL = `smtp://127.0.0.1:${smtpPort}`;
const mailDir = join(root, 'tmp', 'dev-mail');
const kafkaPort = Number(env.KAFKA_PORT ?? 9092);
const brokers = env.KAFKA_BROKERS ?? `127.0.0.1:${kafkaPort}`;
const databaseUrl = env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/tally';
const gatewayPort = Number(env.PORT ?? 8080);
const colors = { gateway: 36, identity: 35, ledger: 32, fraud: 31, analytics: 33, notification: 34 };
const t0 = Date.now();
const seconds = (from) => `${((Date.now() - from) / 1000).toFixed(1)} s`;

const kafkaScript = (name) => spawnSync('bash', [join(root, 'deploy/local', name)], { stdio: 'inherit', env });
let startedKafka = false;
if (spawnSync('bash', [join(root, 'deploy/local/kafka-status.sh'), '-q'], { env }).status !== 0) {
  const kafkaStart = Date.now();
  if (kafkaScript('kafka-start.sh').status !== 0) process.exit(1);
  startedKafka = true;
  console.log(`[stack] Kafka ready in ${seconds(kafkaStart)}`);
}

execFileSync(process.execPath, [join(root, 'tools/build.mjs')], { stdio: 'inherit' });
const { LocalStack } = createRequire(import.meta.url)(join(root, 'dist/libs/testing/src/local-stack.js'));
const { SmtpSink } = createRequire(import.meta.url)(join(root, 'dist/libs/testing/src/smtp-sink.js'));
const sink = startSink ? new SmtpSink({ port: smtpPort, spoolDir: mailDir }) : undefined;

const stack = new LocalStack({
  databaseUrl,
  kafkaBrokers: brokers,
  ports: { gateway: gatewayPort },
  env,
  onLine: (service, line) => process.stdout.write(`\x1b[${colors[service]}m${service.padEnd(12)}\x1b[0m ${line}\n`),
});

let stopping = false;
async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  console.log('\n[stack] stopping services ...');
  await stack.stop();
  await sink?.stop();
  if (startedKafka) kafkaScript('kafka-stop.sh');
  console.log('[stack] stopped');
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

try {
  if (sink) {
    await sink.start();
    console.log(`[stack] dev mail: SMTP sink on 127.0.0.1:${smtpPort}; every message lands in ${mailDir} (.eml and .json)`);
  }
  if (env.TALLY_ADMIN_TOTP_SECRET) {
    console.log(
      `[stack] admin ${env.TALLY_ADMIN_EMAIL} signs in with a TOTP code: otpauth://totp/Tally:${encodeURIComponent(env.TALLY_ADMIN_EMAIL)}?secret=${env.TALLY_ADMIN_TOTP_SECRET}&issuer=Tally`,
    );
  }
  const servicesStart = Date.now();
  await stack.start();
  console.log(`[stack] six services ready in ${seconds(servicesStart)} (whole stack ${seconds(t0)}); gateway on http://127.0.0.1:${gatewayPort}`);
  for (const [name, service] of stack.services) {
    service.process.once('exit', (code) => {
      if (!stopping) {
        console.error(`[stack] ${name} exited (code ${code}); stopping the rest`);
        void shutdown(1);
      }
    });
  }
} catch (err) {
  console.error(`[stack] start failed: ${err.message}`);
  await shutdown(1);
}
