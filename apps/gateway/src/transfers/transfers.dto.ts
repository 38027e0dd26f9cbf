import { IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { IsAmountInput } from '../http/amount.validator';

export class TransferDto {
  @IsUUID()
  fromWalletId!: string;

  @IsString()
  @Matches(/^WA\d{12}$/, { message: 'toWalletNumber must be WA followed by 12 digits' })
  toWalletNumber!: string;

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
