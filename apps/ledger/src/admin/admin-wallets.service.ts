import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Actor, ADMIN_READ_ROLES, AdminWalletView, DomainError, isUuid, requireRole, WalletOwnerView } from '@tally/contracts';
import { LEDGER_CONFIG, LedgerConfig } from '../config/ledger.config';
import { currentLock, pinPolicy } from '../pins/pin-check';
import { WalletsRepository } from '../wallets/wallets.repository';
import { WalletsService } from '../wallets/wallets.service';

/** Partial numbers must be long enough not to list a crowd. */
const WALLET_NUMBER_SEARCH = /^WA\d{4,12}$/;

/** Wallets for the admin pages: one user's (balances and PIN lock), and who owns a wallet number. */
@Injectable()
export class AdminWalletsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly wallets: WalletsRepository,
    private readonly walletsService: WalletsService,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  async ofUser(actor: Actor, userId: string): Promise<AdminWalletView[]> {
    requireRole(actor, ...ADMIN_READ_ROLES);
    if (!isUuid(userId)) throw new DomainError('NOT_FOUND', 'User not found');
    const rows = await this.wallets.listByUser(userId);
    const policy = pinPolicy(this.config);
    const now = new Date();
    return Promise.all(
      rows.map(async (row) => {
        const lockEnd = currentLock(row, policy);
        return { ...(await this.walletsService.view(row)), failedPinAttempts: row.failed_pin_attempts, pinLocked: lockEnd !== undefined && lockEnd > now };
      }),
    );
  }

  /** Wallets whose number starts with q (WA and at least four digits; case-insensitive); anything else finds none. */
  async findOwners(actor: Actor, q: unknown): Promise<WalletOwnerView[]> {
    requireRole(actor, ...ADMIN_READ_ROLES);
    const prefix = typeof q === 'string' ? q.trim().toUpperCase() : '';
    if (!WALLET_NUMBER_SEARCH.test(prefix)) return [];
    const rows: { id: string; wallet_number: string; user_id: string }[] = await this.dataSource.query(
      // The prefix is WA and digits only (checked above), so it holds no LIKE wildcard.
      `SELECT id, wallet_number, user_id FROM ledger.wallets WHERE wallet_number LIKE $1 || '%' ORDER BY wallet_number LIMIT 100`,
      [prefix],
    );
    return rows.map((r) => ({ walletId: r.id, walletNumber: r.wallet_number, userId: r.user_id }));
  }
}
