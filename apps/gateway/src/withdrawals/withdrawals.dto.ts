import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { IsAmountInput } from '../http/amount.validator';

export class WithdrawalDto {
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
