import { Body, Controller, Post, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Actor, LedgerCommands, TransactionView } from '@tally/contracts';
import { ApiKeyScopeNeeded, CurrentActor, IdempotencyKey, JwtAuthGuard, MovesMoney } from '../auth/jwt-auth.guard';
import { amountText } from '../http/amount.validator';
import { SettlementWait } from '../transactions/settlement-wait';
import { PaymentDto } from './payments.dto';
import { ApiAnswer } from '../openapi/openapi';

@ApiTags('money movement')
@ApiBearerAuth('bearer')
@Controller('v1/payments')
@UseGuards(JwtAuthGuard)
export class PaymentsController {
  constructor(private readonly settlement: SettlementWait) {}

  /** A purchase: 201 when completed within the wait, 202 while it is still pending (held or in review). */
  @Post()
  @ApiAnswer(201, 'Transaction', 'The purchase, completed')
  @ApiAnswer(202, 'Transaction', 'The purchase, still pending (held or in review); poll GET /v1/transactions/{id}')
  @MovesMoney()
  @ApiKeyScopeNeeded('payments:write')
  create(
    @CurrentActor() actor: Actor,
    @IdempotencyKey() idempotencyKey: string,
    @Body() body: PaymentDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TransactionView> {
    const payload = { ...body, amount: amountText(body.amount) };
    return this.settlement.submitDebit(LedgerCommands.payment, payload, { actor, idempotencyKey, key: body.walletId }, res);
  }
}
