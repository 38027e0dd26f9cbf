import { Controller, Get, Param, ParseUUIDPipe, UseGuards } from '@nestjs/common';
import { Actor, LedgerCommands, Topics, TransactionView } from '@tally/contracts';
import { CurrentActor, JwtAuthGuard } from '../auth/jwt-auth.guard';
import { CommandClient } from '../commands/command-client';

@Controller('v1/transactions')
@UseGuards(JwtAuthGuard)
export class TransactionsController {
  constructor(private readonly commands: CommandClient) {}

  @Get(':id')
  get(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string): Promise<TransactionView> {
    return this.commands.send(Topics.ledgerCommands, LedgerCommands.getTransaction, { transactionId: id }, { actor });
  }
}
