import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Actor, LedgerCommands, Topics, TransactionList, TransactionView } from '@tally/contracts';
import { ApiKeyScopeNeeded, CurrentActor, IdempotencyKey, JwtAuthGuard, MovesMoney } from '../auth/jwt-auth.guard';
import { CommandClient } from '../commands/command-client';
import { amountText } from '../http/amount.validator';
import { RefundDto } from './transactions.dto';
import { ApiAnswer } from '../openapi/openapi';

@ApiTags('money movement')
@ApiBearerAuth('bearer')
@Controller('v1/transactions')
@UseGuards(JwtAuthGuard)
export class TransactionsController {
  constructor(private readonly commands: CommandClient) {}

  /** The caller's transactions with api-v1's filters, sorting and pagination (checked by the ledger). */
  @Get()
  @ApiAnswer(200, 'TransactionList')
  @ApiQuery({ name: 'walletId', required: false })
  @ApiQuery({ name: 'type', required: false })
  @ApiQuery({ name: 'status', required: false })
  @ApiQuery({ name: 'merchantCategory', required: false })
  @ApiQuery({ name: 'from', required: false })
  @ApiQuery({ name: 'to', required: false })
  @ApiQuery({ name: 'minAmount', required: false })
  @ApiQuery({ name: 'maxAmount', required: false })
  @ApiQuery({ name: 'limit', required: false })
  @ApiQuery({ name: 'offset', required: false })
  @ApiQuery({ name: 'sortBy', required: false })
  @ApiQuery({ name: 'sortOrder', required: false })
  @ApiKeyScopeNeeded('transactions:read')
  list(@CurrentActor() actor: Actor, @Query() query: Record<string, string>): Promise<TransactionList> {
    return this.commands.send(Topics.ledgerCommands, LedgerCommands.listTransactions, query, { actor });
  }

  @Get(':id')
  @ApiAnswer(200, 'Transaction')
  @ApiKeyScopeNeeded('transactions:read')
  get(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string): Promise<TransactionView> {
    return this.commands.send(Topics.ledgerCommands, LedgerCommands.getTransaction, { transactionId: id }, { actor });
  }

  /** A full or partial refund of a completed purchase; answers the refund transaction. */
  @Post(':id/refunds')
  @MovesMoney()
  @HttpCode(201)
  @ApiAnswer(201, 'Transaction', 'The refund transaction')
  refund(
    @CurrentActor() actor: Actor,
    @IdempotencyKey() idempotencyKey: string,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: RefundDto,
  ): Promise<TransactionView> {
    const payload = { ...body, amount: body.amount === undefined ? undefined : amountText(body.amount), transactionId: id };
    // Keyed by the purchase, so its refunds reach the ledger in order.
    return this.commands.send(Topics.ledgerCommands, LedgerCommands.refund, payload, { actor, idempotencyKey, key: id });
  }
}
