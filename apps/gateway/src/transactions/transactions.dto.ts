import { IsOptional, IsString, MaxLength } from 'class-validator';
import { IsAmountInput } from '../http/amount.validator';

/** A refund: the whole remainder of the purchase when amount is left out. */
export class RefundDto {
  @IsOptional()
  @IsAmountInput()
  amount?: string | number;

  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}
