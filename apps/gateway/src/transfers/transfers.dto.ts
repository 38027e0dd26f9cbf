import { IsString, IsUUID, Matches } from 'class-validator';
import { DebitDto } from '../http/debit.dto';

export class TransferDto extends DebitDto {
  @IsUUID()
  fromWalletId!: string;

  @IsString()
  @Matches(/^WA\d{12}$/, { message: 'toWalletNumber must be WA followed by 12 digits' })
  toWalletNumber!: string;
}
