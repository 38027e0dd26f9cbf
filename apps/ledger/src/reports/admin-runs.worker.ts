import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ImportPoster } from '../imports/import-poster';
import { JournalReplayService } from '../replay/journal-replay.service';
import { BalanceVerificationService } from './balance-verification.service';

const IDLE_MS = 1000;

/**
 * Advances admin runs (balance verifications, journal replays, bulk imports) a chunk at a time in the
 * background. Every replica runs one; a run row is locked per chunk (SKIP LOCKED), so replicas
 * share the work without doing a chunk twice.
 */
@Injectable()
export class AdminRunsWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('AdminRuns');
  private running = false;
  private loopDone: Promise<void> = Promise.resolve();
  private wake: (() => void) | undefined;

  constructor(
    private readonly verification: BalanceVerificationService,
    private readonly replay: JournalReplayService,
    private readonly imports: ImportPoster,
  ) {}

  onApplicationBootstrap(): void {
    this.running = true;
    this.loopDone = this.loop();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loopDone;
  }

  private async loop(): Promise<void> {
    let failures = 0;
    while (this.running) {
      let worked = false;
      try {
        worked = (await this.verification.step()) || worked;
        worked = (await this.replay.step()) || worked;
        worked = (await this.imports.step()) || worked;
        failures = 0;
      } catch (err) {
        // Logged once per outage; the chunk rolled back and runs again.
        if (failures++ === 0) this.logger.warn({ msg: 'admin run step failed; will retry', error: (err as Error).message });
      }
      if (!worked && this.running) await this.sleep(failures > 0 ? Math.min(30_000, IDLE_MS * 2 ** failures) : IDLE_MS);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}
