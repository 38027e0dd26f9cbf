// Verifies every ledger balance row against its postings from the command line, without the
// service running:  node dist/apps/ledger/src/reports/verify-balances.js   (after npm run build)
// Reads DATABASE_URL like the ledger; prints the report as JSON; exits 1 when a balance differs.
import { DataSource } from 'typeorm';
import { serviceDataSourceOptions } from '@tally/database';
import { loadLedgerConfig } from '../config/ledger.config';
import { verifyAllBalances } from './balance-verification';

async function main(): Promise<void> {
  const config = loadLedgerConfig();
  // DATABASE_URL: the service's own role (tally_ledger) is enough, the check only reads.
  const db = new DataSource(
    serviceDataSourceOptions({
      url: config.databaseUrl,
      schema: 'ledger',
      applicationName: 'tally-ledger-verify',
      migrations: [],
      poolSize: 1,
    }),
  );
  await db.initialize();
  try {
    const started = Date.now();
    const report = await verifyAllBalances(db);
    console.log(JSON.stringify({ ...report, seconds: (Date.now() - started) / 1000 }, null, 2));
    process.exitCode = report.ok ? 0 : 1;
  } finally {
    await db.destroy();
  }
}

main().catch((err: Error) => {
  console.error(`verify-balances failed: ${err.message}`);
  process.exitCode = 2;
});
