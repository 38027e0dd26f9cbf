import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EmailTokenIssuedV1 } from '@tally/contracts';

const EVERY_MS = 5000;

/**
 * Tokens are stored only as hashes, but the user.email-token-issued event must carry the token to
 * notification, and the outbox keeps published rows for a while. Once a row is published its
 * token is no longer needed here, so it is blanked within a few seconds.
 */
@Injectable()
export class OutboxTokenScrubber implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('OutboxTokenScrubber');
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly dataSource: DataSource) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.scrub().catch((err: Error) => this.logger.warn({ msg: 'outbox token scrub failed; will retry', error: err.message }));
    }, EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async scrub(): Promise<void> {
    await this.dataSource.query(
      `UPDATE identity.outbox SET payload = jsonb_set(payload, '{data,token}', '"[redacted]"')
        WHERE published_at IS NOT NULL AND payload->>'type' = $1 AND payload->'data'->>'token' <> '[redacted]'`,
      [EmailTokenIssuedV1.type],
    );
  }
}
