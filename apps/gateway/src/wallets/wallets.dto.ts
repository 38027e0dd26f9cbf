import { IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import { IsAmountInput } from '../http/amount.validator';

export class OpenWalletDto {
  @IsString()
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code' })
  currency!: string;

  @IsString()
  @Matches(/^\d{4,6}$/, { message: 'pin must be 4 to 6 digits' })
  pin!: string;

  @IsOptional()
  @IsAmountInput()
  dailyLimit?: string | number;

  @IsOptional()
  @IsAmountInput()
  monthlyLimit?: string | number;
}

export class DepositDto {
  @IsAmountInput()
  amount!: string | number;

  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;

  @IsOptional()
  @IsString()
  @Length(1, 50)
  paymentMethod?: string;
}
