import { Injectable, Inject } from '@nestjs/common';
import type { Response } from 'express';
import { Actor, DomainError, LedgerCommands, Topics, TransactionView } from '@tally/contracts';
import { CommandClient } from '../commands/command-client';
import { GATEWAY_CONFIG, GatewayConfig } from '../config/gateway.config';

/**
 * A debit is pending until fraud decides. The gateway waits a short while for the final state,
 * then answers with whatever it has (202 pending); the client polls GET /v1/transactions/{id}.
 */
@Injectable()
export class SettlementWait {
  constructor(
    private readonly commands: CommandClient,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  /**
   * Sends a money-moving debit (transfer, payment, withdrawal) to the ledger and answers 201 when it
   * completed within the wait, 202 while it is still pending (held or in review).
   */
  async submitDebit(
    command: string,
    payload: Record<string, unknown>,
    options: { actor: Actor; idempotencyKey: string; key: string },
    res: Response,
  ): Promise<TransactionView> {
    const pending = await this.commands.send<TransactionView>(Topics.ledgerCommands, command, payload, options);
    const result = await this.untilSettled(options.actor, pending);
    res.status(result.status === 'pending' ? 202 : 201);
    return result;
  }

  async untilSettled(actor: Actor, initial: TransactionView): Promise<TransactionView> {
    const deadline = Date.now() + this.config.settleWaitMs;
    let current = initial;
    let delay = 50;
    while (current.status === 'pending' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(250, delay * 2);
      try {
        current = await this.commands.send(Topics.ledgerCommands, LedgerCommands.getTransaction, { transactionId: initial.id }, { actor });
      } catch (err) {
        // The debit was accepted; a ledger that stops answering now leaves it pending, not failed.
        if (err instanceof DomainError && err.code === 'SERVICE_UNAVAILABLE') return current;
        throw err;
      }
    }
    return current;
  }
}
