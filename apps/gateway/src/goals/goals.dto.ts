import { IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { IsAmountInput } from '../http/amount.validator';

export class CreateGoalDto {
  @IsString()
  @MaxLength(100)
  name!: string;

  @IsAmountInput()
  targetAmount!: string | number;

  @IsString()
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code' })
  currency!: string;

  @IsOptional()
  @IsString()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'deadline must be a date (YYYY-MM-DD)' })
  deadline?: string;
}

export class GoalContributionDto {
  @IsUUID()
  fromWalletId!: string;

  @IsAmountInput()
  amount!: string | number;

  @IsString()
  @Matches(/^\d{4,6}$/, { message: 'pin must be 4 to 6 digits' })
  pin!: string;
}
