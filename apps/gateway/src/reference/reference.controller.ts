import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { minorDigits, SUPPORTED_CURRENCIES } from '@tally/money';
import { TRANSACTION_TYPES } from '@tally/contracts';
import { ApiAnswer } from '../openapi/openapi';

const WALLET_STATUSES = ['active', 'frozen', 'closed'];

@ApiTags('reference')
@Controller('v1')
export class ReferenceController {
  @Get('currencies')
  @ApiAnswer(200, 'Currencies')
  currencies(): { items: { code: string; minorDigits: number }[] } {
    return { items: SUPPORTED_CURRENCIES.map((code) => ({ code, minorDigits: minorDigits(code) })) };
  }

  @Get('transaction-types')
  @ApiAnswer(200, 'Names')
  transactionTypes(): { items: string[] } {
    return { items: [...TRANSACTION_TYPES] };
  }

  @Get('wallet-statuses')
  @ApiAnswer(200, 'Names')
  walletStatuses(): { items: string[] } {
    return { items: WALLET_STATUSES };
  }
}
