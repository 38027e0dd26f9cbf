import { Body, Controller, Param, ParseUUIDPipe, Post, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { Actor, LedgerCommands, TransactionView } from '@tally/contracts';
import { CurrentActor, IdempotencyKey, JwtAuthGuard, MovesMoney } from '../auth/jwt-auth.guard';
import { amountText } from '../http/amount.validator';
import { SettlementWait } from '../transactions/settlement-wait';
import { WithdrawalDto } from './withdrawals.dto';

/** POST /v1/wallets/{id}/withdrawals; the rest of /v1/wallets is WalletsController's. */
@Controller('v1/wallets')
@UseGuards(JwtAuthGuard)
export class WithdrawalsController {
  constructor(private readonly settlement: SettlementWait) {}

  /** 201 when completed within the wait, 202 while it is still pending (held or in review). */
  @Post(':id/withdrawals')
  @MovesMoney()
  create(
    @CurrentActor() actor: Actor,
    @IdempotencyKey() idempotencyKey: string,
    @Param('id', new ParseUUIDPipe({ version: undefined })) walletId: string,
    @Body() body: WithdrawalDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TransactionView> {
    const payload = { ...body, walletId, amount: amountText(body.amount) };
    return this.settlement.submitDebit(LedgerCommands.withdrawal, payload, { actor, idempotencyKey, key: walletId }, res);
  }
}
