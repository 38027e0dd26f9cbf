import { Body, Controller, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Actor, ADMIN_READ_ROLES, AdminTransactionDetailView, AdminTransactionView, LedgerCommands, Page, TransactionView } from '@tally/contracts';
import { CurrentActor, IdempotencyKey, JwtAuthGuard } from '../auth/jwt-auth.guard';
import { RequireRoles, RolesGuard } from '../auth/roles.guard';
import { CommandClient } from '../commands/command-client';
import { ApiTransactionFilters } from '../transactions/transactions.controller';
import { ReversalDto } from './admin-transactions.dto';
import { ApiAnswer } from '../openapi/openapi';
import { PathIdPipe } from '../http/path-id.pipe';

@ApiTags('admin')
@ApiBearerAuth('bearer')
@Controller('v1/admin/transactions')
@UseGuards(JwtAuthGuard, RolesGuard)
@RequireRoles('admin')
export class AdminTransactionsController {
  constructor(private readonly commands: CommandClient) {}

  /** Every user's transactions: GET /v1/transactions' filters plus userId (checked by the ledger). */
  @Get()
  @RequireRoles(...ADMIN_READ_ROLES)
  @ApiAnswer(200, 'AdminTransactionList')
  @ApiTransactionFilters('userId')
  list(@CurrentActor() actor: Actor, @Query() query: Record<string, string>): Promise<Page<AdminTransactionView>> {
    return this.commands.send(LedgerCommands.adminListTransactions, query, { actor });
  }

  /** One transaction with its journal entries (postings per account) and the transactions linked to it. */
  @Get(':id')
  @RequireRoles(...ADMIN_READ_ROLES)
  @ApiAnswer(200, 'AdminTransactionDetail')
  get(@CurrentActor() actor: Actor, @Param('id', new PathIdPipe()) id: string): Promise<AdminTransactionDetailView> {
    return this.commands.send(LedgerCommands.adminGetTransaction, { transactionId: id }, { actor, key: id });
  }

  /** Reverses a completed transaction with a new opposite entry; answers the transaction, now 'reversed'. */
  @Post(':id/reversal')
  @HttpCode(201)
  @ApiAnswer(201, 'Transaction', "The transaction, now 'reversed'")
  reverse(
    @CurrentActor() actor: Actor,
    @IdempotencyKey() idempotencyKey: string,
    @Param('id', new PathIdPipe()) id: string,
    @Body() body: ReversalDto,
  ): Promise<TransactionView> {
    return this.commands.send(LedgerCommands.reverseTransaction, { ...body, transactionId: id }, { actor, idempotencyKey, key: id });
  }
}
