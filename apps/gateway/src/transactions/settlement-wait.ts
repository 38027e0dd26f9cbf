import { Inject, Injectable } from '@nestjs/common';
import type { Response } from 'express';
import { Actor, CommandContract, TransactionView } from '@tally/contracts';
import { CommandClient } from '../commands/command-client';
import { GATEWAY_CONFIG, GatewayConfig } from '../config/gateway.config';
import { SettlementWatcher } from './settlement-watcher';

/**
 * A debit is pending until fraud decides. The gateway waits a short while for the final state,
 * learnt from the ledger's transaction.posted / transaction.voided event (SettlementWatcher), then
 * answers with whatever it has: 201 completed (or the voided transaction), 202 while still pending
 * (held or in review; the client polls GET /v1/transactions/{id}). Once the ledger has answered
 * the command, the client always gets that answer: never a 503.
 */
@Injectable()
export class SettlementWait {
  constructor(
    private readonly commands: CommandClient,
    private readonly watcher: SettlementWatcher,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  async submitDebit<P>(
    command: CommandContract<P, TransactionView>,
    payload: P,
    options: { actor: Actor; idempotencyKey: string; key: string },
    res: Response,
  ): Promise<TransactionView> {
    const started = Date.now();
    const pending = await this.commands.send(command, payload, options);
    const result = await this.untilSettled(pending, this.config.settleWaitMs - (Date.now() - started));
    res.status(result.status === 'pending' ? 202 : 201);
    return result;
  }

  async untilSettled(initial: TransactionView, waitMs: number = this.config.settleWaitMs): Promise<TransactionView> {
    if (initial.status !== 'pending') return initial;
    const settled = await this.watcher.wait(initial.id, waitMs);
    if (!settled) return initial;
    const { completedAt: _completedAt, ...rest } = initial;
    return settled.status === 'completed' ? { ...rest, status: 'completed', completedAt: settled.at } : { ...rest, status: settled.status };
  }
}
