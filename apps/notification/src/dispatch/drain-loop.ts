/**
 * The loop of notification's senders (webhooks, email): runs a pass at once again while passes take
 * full batches, otherwise after pollMs or as soon as nudged; stop() waits for the pass in hand.
 */
export class DrainLoop {
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;

  constructor(
    /** One pass; answers how many items it took. */
    private readonly pass: () => Promise<number>,
    private readonly options: { batch: number; pollMs: number; onError: (err: Error) => void },
  ) {}

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  /** Looks for due work now instead of at the next poll. */
  nudge(): void {
    this.wake?.();
  }

  private async run(): Promise<void> {
    while (this.running) {
      let taken = 0;
      try {
        taken = await this.pass();
      } catch (err) {
        this.options.onError(err as Error);
      }
      if (taken < this.options.batch && this.running) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.options.pollMs);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.wake = undefined;
      }
    }
  }
}
