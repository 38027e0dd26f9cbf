import { Controller, Logger } from '@nestjs/common';
import { Ctx, KafkaContext, MessagePattern, Payload } from '@nestjs/microservices';
import { CommandMessage, CommandReply, DomainError, LedgerCommands, Topics } from '@tally/contracts';
import { CommandRouter, requireActor } from '@tally/messaging';
import { CreateDepositHandler } from '../deposits/create-deposit.handler';
import { TransactionsService } from '../transactions/transactions.service';
import { CreateTransferHandler } from '../transfers/create-transfer.handler';
import { WalletsService } from '../wallets/wallets.service';

@Controller()
export class LedgerCommandsController {
  private readonly router: CommandRouter;

  constructor(wallets: WalletsService, deposits: CreateDepositHandler, transfers: CreateTransferHandler, transactions: TransactionsService) {
    this.router = new CommandRouter(
      'ledger',
      {
        [LedgerCommands.openWallet]: (p, m) => wallets.open(requireActor(m), p, requireIdempotencyKey(m)),
        [LedgerCommands.listWallets]: (_p, m) => wallets.list(requireActor(m)),
        [LedgerCommands.getWallet]: (p, m) => wallets.get(requireActor(m), p.walletId),
        [LedgerCommands.getBalance]: (p, m) => wallets.balance(requireActor(m), p.walletId),
        [LedgerCommands.deposit]: (p, m) => deposits.execute(requireActor(m), p, requireIdempotencyKey(m)),
        [LedgerCommands.transfer]: (p, m) => transfers.execute(requireActor(m), p, requireIdempotencyKey(m)),
        [LedgerCommands.getTransaction]: (p, m) => transactions.get(requireActor(m), p.transactionId),
      },
      new Logger('LedgerCommands'),
    );
  }

  @MessagePattern(Topics.ledgerCommands)
  handle(@Payload() message: CommandMessage, @Ctx() context: KafkaContext): Promise<CommandReply> {
    return this.router.dispatch(message, context.getMessage().headers);
  }
}

/** Every money-moving or creating command carries one (the gateway fills it from Idempotency-Key). */
function requireIdempotencyKey(message: CommandMessage): string {
  const key = message.idempotencyKey;
  if (typeof key !== 'string' || key.length < 1 || key.length > 255) {
    throw new DomainError('VALIDATION_FAILED', 'An Idempotency-Key of 1 to 255 characters is required');
  }
  return key;
}
