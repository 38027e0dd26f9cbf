import { Body, Controller, Post, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Actor, LedgerCommands, TransactionView } from '@tally/contracts';
import { ApiKeyScopeNeeded, CurrentActor, IdempotencyKey, JwtAuthGuard, MovesMoney } from '../auth/jwt-auth.guard';
import { amountText } from '../http/amount.validator';
import { SettlementWait } from '../transactions/settlement-wait';
import { TransferDto } from './transfers.dto';
import { ApiAnswer } from '../openapi/openapi';

@ApiTags('money movement')
@ApiBearerAuth('bearer')
@Controller('v1/transfers')
@UseGuards(JwtAuthGuard)
export class TransfersController {
  constructor(private readonly settlement: SettlementWait) {}

  /** 201 when completed within the wait, 202 while it is still pending (held or in review). */
  @Post()
  @ApiAnswer(201, 'Transaction', 'The transfer, completed')
  @ApiAnswer(202, 'Transaction', 'The transfer, still pending (held or in review); poll GET /v1/transactions/{id}')
  @MovesMoney()
  @ApiKeyScopeNeeded('transfers:write')
  create(
    @CurrentActor() actor: Actor,
    @IdempotencyKey() idempotencyKey: string,
    @Body() body: TransferDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TransactionView> {
    const payload = { ...body, amount: amountText(body.amount) };
    return this.settlement.submitDebit(LedgerCommands.transfer, payload, { actor, idempotencyKey, key: body.fromWalletId }, res);
  }
}
