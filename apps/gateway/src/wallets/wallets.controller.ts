import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, UseGuards } from '@nestjs/common';
import { Actor, BalanceView, LedgerCommands, Topics, TransactionView, WalletView } from '@tally/contracts';
import { CurrentActor, IdempotencyKey, JwtAuthGuard } from '../auth/jwt-auth.guard';
import { CommandClient } from '../commands/command-client';
import { amountText } from '../http/amount.validator';
import { DepositDto, OpenWalletDto } from './wallets.dto';

const walletId = new ParseUUIDPipe({ version: undefined });

@Controller('v1/wallets')
@UseGuards(JwtAuthGuard)
export class WalletsController {
  constructor(private readonly commands: CommandClient) {}

  @Post()
  @HttpCode(201)
  open(@CurrentActor() actor: Actor, @IdempotencyKey() idempotencyKey: string, @Body() body: OpenWalletDto): Promise<WalletView> {
    const payload = {
      ...body,
      dailyLimit: body.dailyLimit === undefined ? undefined : amountText(body.dailyLimit),
      monthlyLimit: body.monthlyLimit === undefined ? undefined : amountText(body.monthlyLimit),
    };
    return this.commands.send(Topics.ledgerCommands, LedgerCommands.openWallet, payload, { actor, idempotencyKey });
  }

  @Get()
  async list(@CurrentActor() actor: Actor): Promise<{ items: WalletView[]; total: number }> {
    const items = await this.commands.send<WalletView[]>(Topics.ledgerCommands, LedgerCommands.listWallets, {}, { actor });
    return { items, total: items.length };
  }

  @Get(':id')
  get(@CurrentActor() actor: Actor, @Param('id', walletId) id: string): Promise<WalletView> {
    return this.commands.send(Topics.ledgerCommands, LedgerCommands.getWallet, { walletId: id }, { actor });
  }

  @Get(':id/balance')
  balance(@CurrentActor() actor: Actor, @Param('id', walletId) id: string): Promise<BalanceView> {
    return this.commands.send(Topics.ledgerCommands, LedgerCommands.getBalance, { walletId: id }, { actor });
  }

  @Post(':id/deposits')
  @HttpCode(201)
  deposit(
    @CurrentActor() actor: Actor,
    @IdempotencyKey() idempotencyKey: string,
    @Param('id', walletId) id: string,
    @Body() body: DepositDto,
  ): Promise<TransactionView> {
    const payload = { ...body, walletId: id, amount: amountText(body.amount) };
    return this.commands.send(Topics.ledgerCommands, LedgerCommands.deposit, payload, { actor, idempotencyKey, key: id });
  }
}
