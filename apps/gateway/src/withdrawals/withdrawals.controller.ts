import { Body, Controller, Param, Post, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Actor, LedgerCommands, TransactionView } from '@tally/contracts';
import { CurrentActor, IdempotencyKey, JwtAuthGuard, MovesMoney } from '../auth/jwt-auth.guard';
import { amountText } from '../http/amount.validator';
import { SettlementWait } from '../transactions/settlement-wait';
import { WithdrawalDto } from './withdrawals.dto';
import { ApiAnswer } from '../openapi/openapi';
import { PathIdPipe } from '../http/path-id.pipe';

/** POST /v1/wallets/{id}/withdrawals; the rest of /v1/wallets is WalletsController's. */
@ApiTags('wallets')
@ApiBearerAuth('bearer')
@Controller('v1/wallets')
@UseGuards(JwtAuthGuard)
export class WithdrawalsController {
  constructor(private readonly settlement: SettlementWait) {}

  /** 201 when completed within the wait, 202 while it is still pending (held or in review). */
  @Post(':id/withdrawals')
  @ApiAnswer(201, 'Transaction', 'The withdrawal, completed')
  @ApiAnswer(202, 'Transaction', 'The withdrawal, still pending (held or in review); poll GET /v1/transactions/{id}')
  @MovesMoney()
  create(
    @CurrentActor() actor: Actor,
    @IdempotencyKey() idempotencyKey: string,
    @Param('id', new PathIdPipe()) walletId: string,
    @Body() body: WithdrawalDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TransactionView> {
    const payload = { ...body, walletId, amount: amountText(body.amount) };
    return this.settlement.submitDebit(LedgerCommands.withdrawal, payload, { actor, idempotencyKey, key: walletId }, res);
  }
}
