import { applyDecorators, Body, Controller, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Actor, LedgerCommands, TransactionList, TransactionView } from '@tally/contracts';
import { ApiKeyScopeNeeded, CurrentActor, IdempotencyKey, JwtAuthGuard, MovesMoney } from '../auth/jwt-auth.guard';
import { CommandClient } from '../commands/command-client';
import { amountText } from '../http/amount.validator';
import { RefundDto } from './transactions.dto';
import { ApiAnswer } from '../openapi/openapi';
import { PathIdPipe } from '../http/path-id.pipe';

const TRANSACTION_FILTERS = [
  'walletId',
  'type',
  'status',
  'merchantCategory',
  'from',
  'to',
  'minAmount',
  'maxAmount',
  'limit',
  'offset',
  'sortBy',
  'sortOrder',
];

/** GET /v1/transactions' query parameters in the OpenAPI document (the admin list adds userId). */
export const ApiTransactionFilters = (...more: string[]) =>
  applyDecorators(...[...more, ...TRANSACTION_FILTERS].map((name) => ApiQuery({ name, required: false })));

@ApiTags('money movement')
@ApiBearerAuth('bearer')
@Controller('v1/transactions')
@UseGuards(JwtAuthGuard)
export class TransactionsController {
  constructor(private readonly commands: CommandClient) {}

  /** The caller's transactions with api-v1's filters, sorting and pagination (checked by the ledger). */
  @Get()
  @ApiAnswer(200, 'TransactionList')
  @ApiTransactionFilters()
  @ApiKeyScopeNeeded('transactions:read')
  list(@CurrentActor() actor: Actor, @Query() query: Record<string, string>): Promise<TransactionList> {
    return this.commands.send(LedgerCommands.listTransactions, query, { actor });
  }

  @Get(':id')
  @ApiAnswer(200, 'Transaction')
  @ApiKeyScopeNeeded('transactions:read')
  get(@CurrentActor() actor: Actor, @Param('id', new PathIdPipe()) id: string): Promise<TransactionView> {
    return this.commands.send(LedgerCommands.getTransaction, { transactionId: id }, { actor });
  }

  /**
   * A full or partial refund of a completed purchase; answers the refund transaction. Initiated by
   * the merchant (an API key with the refunds:write scope) or an admin; the payer gets 403.
   */
  @Post(':id/refunds')
  @MovesMoney()
  @ApiKeyScopeNeeded('refunds:write')
  @HttpCode(201)
  @ApiAnswer(201, 'Transaction', 'The refund transaction')
  refund(
    @CurrentActor() actor: Actor,
    @IdempotencyKey() idempotencyKey: string,
    @Param('id', new PathIdPipe()) id: string,
    @Body() body: RefundDto,
  ): Promise<TransactionView> {
    const payload = { ...body, amount: body.amount === undefined ? undefined : amountText(body.amount), transactionId: id };
    // Keyed by the purchase, so its refunds reach the ledger in order.
    return this.commands.send(LedgerCommands.refund, payload, { actor, idempotencyKey, key: id });
  }
}
