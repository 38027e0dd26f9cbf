import { IsOptional, IsString, IsUUID, Length, Matches, MaxLength } from 'class-validator';
import { IsAmountInput } from '../http/amount.validator';

export class PaymentDto {
  @IsUUID()
  walletId!: string;

  /** In `currency`, or in the wallet's currency when that is left out. */
  @IsAmountInput()
  amount!: string | number;

  @IsOptional()
  @IsString()
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code' })
  currency?: string;

  @IsString()
  @Length(1, 100)
  merchantName!: string;

  @IsString()
  @Matches(/^[a-z][a-z0-9_]{1,49}$/, { message: 'merchantCategory must be 2 to 50 lower-case letters, digits or underscores, e.g. food_beverage' })
  merchantCategory!: string;

  @IsString()
  @Matches(/^\d{4,6}$/, { message: 'pin must be 4 to 6 digits' })
  pin!: string;

  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;
}
