import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Actor, LedgerCommands, Topics, TransactionView } from '@tally/contracts';
import { CurrentActor, IdempotencyKey, JwtAuthGuard } from '../auth/jwt-auth.guard';
import { RequireRoles, RolesGuard } from '../auth/roles.guard';
import { CommandClient } from '../commands/command-client';
import { ReversalDto } from './admin-transactions.dto';
import { ApiAnswer } from '../openapi/openapi';

@ApiTags('admin')
@ApiBearerAuth('bearer')
@Controller('v1/admin/transactions')
@UseGuards(JwtAuthGuard, RolesGuard)
@RequireRoles('admin')
export class AdminTransactionsController {
  constructor(private readonly commands: CommandClient) {}

  /** Reverses a completed transaction with a new opposite entry; answers the transaction, now 'reversed'. */
  @Post(':id/reversal')
  @HttpCode(201)
  @ApiAnswer(201, 'Transaction', "The transaction, now 'reversed'")
  reverse(
    @CurrentActor() actor: Actor,
    @IdempotencyKey() idempotencyKey: string,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: ReversalDto,
  ): Promise<TransactionView> {
    return this.commands.send(Topics.ledgerCommands, LedgerCommands.reverseTransaction, { ...body, transactionId: id }, { actor, idempotencyKey, key: id });
  }
}
