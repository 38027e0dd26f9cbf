import { IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';
import { DebitDto } from '../http/debit.dto';

/** `amount` is in `currency`, or in the wallet's currency when that is left out. */
export class PaymentDto extends DebitDto {
  @IsUUID()
  walletId!: string;

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
}
