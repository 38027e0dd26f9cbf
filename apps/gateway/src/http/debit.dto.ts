import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { IsAmountInput } from './amount.validator';

/** What every debit of a wallet carries: the amount, the wallet's PIN and an optional description. */
export class DebitDto {
  @IsAmountInput()
  amount!: string | number;

  @IsString()
  @Matches(/^\d{4,6}$/, { message: 'pin must be 4 to 6 digits' })
  pin!: string;

  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;
}
