import { Body, Controller, Get, Headers, HttpCode, Param, Patch, Post, Put, Query, Req, UseGuards } from '@nestjs/common';
import type { Request } from 'express';
import { ApiBearerAuth, ApiHeader, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Actor, BalanceView, DomainError, LedgerCommands, TransactionView, WalletView } from '@tally/contracts';
import { ApiKeyScopeNeeded, CurrentActor, IdempotencyKey, JwtAuthGuard, MovesMoney } from '../auth/jwt-auth.guard';
import { CommandClient } from '../commands/command-client';
import { amountText } from '../http/amount.validator';
import { origin } from '../auth/auth.controller';
import { Reauthenticator } from '../auth/reauthenticator';
import { CredentialRateLimited } from '../rate-limit/credential-rate-limit.guard';
import { BalanceQueryDto, ChangePinDto, DepositDto, OpenWalletDto, ResetPinDto, UpdateWalletDto, WalletStatusDto } from './wallets.dto';
import { ApiAnswer } from '../openapi/openapi';
import { PathIdPipe } from '../http/path-id.pipe';

const walletId = new PathIdPipe();

@ApiTags('wallets')
@ApiBearerAuth('bearer')
@Controller('v1/wallets')
@UseGuards(JwtAuthGuard)
export class WalletsController {
  constructor(
    private readonly commands: CommandClient,
    private readonly reauthenticator: Reauthenticator,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiAnswer(201, 'Wallet')
  open(@CurrentActor() actor: Actor, @IdempotencyKey() idempotencyKey: string, @Body() body: OpenWalletDto): Promise<WalletView> {
    const payload = {
      ...body,
      dailyLimit: body.dailyLimit === undefined ? undefined : amountText(body.dailyLimit),
      monthlyLimit: body.monthlyLimit === undefined ? undefined : amountText(body.monthlyLimit),
    };
    return this.commands.send(LedgerCommands.openWallet, payload, { actor, idempotencyKey });
  }

  @Get()
  @ApiAnswer(200, 'WalletList')
  @ApiKeyScopeNeeded('wallets:read')
  async list(@CurrentActor() actor: Actor): Promise<{ items: WalletView[]; total: number }> {
    const items = await this.commands.send(LedgerCommands.listWallets, {}, { actor });
    return { items, total: items.length };
  }

  @Get(':id')
  @ApiAnswer(200, 'Wallet')
  @ApiKeyScopeNeeded('wallets:read')
  get(@CurrentActor() actor: Actor, @Param('id', walletId) id: string): Promise<WalletView> {
    return this.commands.send(LedgerCommands.getWallet, { walletId: id }, { actor });
  }

  /** api-v1 v1.1: rename the wallet or set its limits (each at most the platform's cap in its currency; 400 above it, naming the cap). */
  @Patch(':id')
  @ApiAnswer(200, 'Wallet')
  update(@CurrentActor() actor: Actor, @Param('id', walletId) id: string, @Body() body: UpdateWalletDto): Promise<WalletView> {
    const payload = {
      walletId: id,
      name: body.name,
      dailyLimit: body.dailyLimit === undefined ? undefined : amountText(body.dailyLimit),
      monthlyLimit: body.monthlyLimit === undefined ? undefined : amountText(body.monthlyLimit),
    };
    return this.commands.send(LedgerCommands.updateWallet, payload, { actor, key: id });
  }

  /** With ?asOf=<ISO 8601 time with a zone>, the money fields as they stood then (400 for a bad or future time). */
  @Get(':id/balance')
  @ApiAnswer(200, 'Balance')
  @ApiQuery({ name: 'asOf', required: false, description: 'ISO 8601 time with a zone: the money fields as they stood then' })
  @ApiKeyScopeNeeded('wallets:read')
  balance(@CurrentActor() actor: Actor, @Param('id', walletId) id: string, @Query() query: BalanceQueryDto): Promise<BalanceView> {
    if (query.asOf !== undefined) {
      return this.commands.send(LedgerCommands.getBalanceAsOf, { walletId: id, asOf: query.asOf }, { actor });
    }
    return this.commands.send(LedgerCommands.getBalance, { walletId: id }, { actor });
  }

  @Post(':id/deposits')
  @MovesMoney()
  @HttpCode(201)
  @ApiAnswer(201, 'Transaction')
  deposit(
    @CurrentActor() actor: Actor,
    @IdempotencyKey() idempotencyKey: string,
    @Param('id', walletId) id: string,
    @Body() body: DepositDto,
  ): Promise<TransactionView> {
    const payload = { ...body, walletId: id, amount: amountText(body.amount) };
    return this.commands.send(LedgerCommands.deposit, payload, { actor, idempotencyKey, key: id });
  }

  /** 204. Idempotency-Key is optional here; with it a retried change answers 204 again. */
  @Put(':id/pin')
  @HttpCode(204)
  @ApiAnswer(204)
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'With it, a retried change answers 204 again' })
  async changePin(
    @CurrentActor() actor: Actor,
    @Param('id', walletId) id: string,
    @Body() body: ChangePinDto,
    @Headers('idempotency-key') idempotencyKey?: string,
  ): Promise<void> {
    if (idempotencyKey !== undefined && (idempotencyKey.length > 255 || !/^[\x21-\x7e]+$/.test(idempotencyKey))) {
      throw new DomainError('VALIDATION_FAILED', 'An Idempotency-Key header must be 1 to 255 visible ASCII characters');
    }
    const payload = { walletId: id, oldPin: body.oldPin, newPin: body.newPin };
    await this.commands.send(LedgerCommands.changePin, payload, { actor, idempotencyKey, key: id });
  }

  /**
   * 204. A forgotten or locked PIN: the account password proves the owner (identity checks it and
   * counts a miss toward the account lockout), then the ledger sets the new PIN and ends any lock.
   * Someone else's wallet answers 404 as everywhere.
   */
  @Post(':id/pin/reset')
  @HttpCode(204)
  @ApiAnswer(204)
  @CredentialRateLimited('actor')
  async resetPin(
    @CurrentActor() actor: Actor,
    @IdempotencyKey() idempotencyKey: string,
    @Param('id', walletId) id: string,
    @Body() body: ResetPinDto,
    @Req() req: Request,
  ): Promise<void> {
    await this.reauthenticator.confirmPassword(actor, body.password, origin(req));
    await this.commands.send(LedgerCommands.resetPin, { walletId: id, newPin: body.newPin }, { actor, idempotencyKey, key: id });
  }

  /** Nothing moves in or out until unfrozen; the wallet can still be read. */
  @Post(':id/freeze')
  @HttpCode(200)
  @ApiAnswer(200, 'Wallet')
  freeze(@CurrentActor() actor: Actor, @Param('id', walletId) id: string, @Body() body: WalletStatusDto): Promise<WalletView> {
    return this.commands.send(LedgerCommands.freezeWallet, { walletId: id, reason: body.reason }, { actor, key: id });
  }

  @Post(':id/unfreeze')
  @HttpCode(200)
  @ApiAnswer(200, 'Wallet')
  unfreeze(@CurrentActor() actor: Actor, @Param('id', walletId) id: string, @Body() body: WalletStatusDto): Promise<WalletView> {
    return this.commands.send(LedgerCommands.unfreezeWallet, { walletId: id, reason: body.reason }, { actor, key: id });
  }

  /** Final; only with a zero balance and nothing pending (422 WALLET_NOT_EMPTY otherwise). */
  @Post(':id/close')
  @HttpCode(200)
  @ApiAnswer(200, 'Wallet')
  close(@CurrentActor() actor: Actor, @Param('id', walletId) id: string, @Body() body: WalletStatusDto): Promise<WalletView> {
    return this.commands.send(LedgerCommands.closeWallet, { walletId: id, reason: body.reason }, { actor, key: id });
  }
}
