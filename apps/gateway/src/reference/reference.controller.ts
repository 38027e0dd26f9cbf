import { Controller, Get } from '@nestjs/common';
import { minorDigits, SUPPORTED_CURRENCIES } from '@tally/money';
import { TRANSACTION_TYPES } from '@tally/contracts';

const WALLET_STATUSES = ['active', 'frozen', 'closed'];

@Controller('v1')
export class ReferenceController {
  @Get('currencies')
  currencies(): { items: { code: string; minorDigits: number }[] } {
    return { items: SUPPORTED_CURRENCIES.map((code) => ({ code, minorDigits: minorDigits(code) })) };
  }

  @Get('transaction-types')
  transactionTypes(): { items: string[] } {
    return { items: [...TRANSACTION_TYPES] };
  }

  @Get('wallet-statuses')
  walletStatuses(): { items: string[] } {
    return { items: WALLET_STATUSES };
  }
}
