import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LocalStack, REPO_ROOT, SmtpSink } from '@tally/testing';

export default async function globalTeardown(): Promise<void> {
  const state = globalThis as { __tallyStack?: LocalStack; __tallyMail?: SmtpSink };
  const stack = state.__tallyStack;
  if (!stack) {
    await state.__tallyMail?.stop();
    return;
  }
  // Peak resident memory of each service over the whole tier, beside the idle figure from setup.
  const tier = (globalThis as { __tallyTier?: string }).__tallyTier ?? 'stack';
  const file = join(REPO_ROOT, 'tmp', 'test-logs', `memory-${tier}.json`);
  try {
    const idle = JSON.parse(readFileSync(file, 'utf8')).idle as Record<string, { rssMiB: number }>;
    const after = stack.memory();
    writeFileSync(file, JSON.stringify({ idle, after }, null, 2));
    console.log(
      `\n${tier} stack memory (MiB, idle RSS → peak RSS): ${Object.entries(after)
        .map(([name, m]) => `${name} ${idle[name]?.rssMiB ?? '?'} → ${m.peakMiB}`)
        .join(', ')}`,
    );
  } catch {
    // no figures: the setup did not get as far as writing them
  }
  await stack.stop();
  await state.__tallyMail?.stop();
}
