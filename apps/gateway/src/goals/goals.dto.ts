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

/** POST /v1/goals/{id}/withdrawals: money from the goal back to one of the caller's wallets. */
export class GoalWithdrawalDto {
  @IsUUID()
  toWalletId!: string;

  @IsAmountInput()
  amount!: string | number;
}

/** PATCH /v1/goals/{id}: only the fields sent change; deadline null removes it. */
export class UpdateGoalDto {
  @IsOptional()
  @IsString()
  @MaxLength(100)
  name?: string;

  @IsOptional()
  @IsAmountInput()
  targetAmount?: string | number;

  @IsOptional()
  @IsString()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'deadline must be a date (YYYY-MM-DD)' })
  deadline?: string | null;
}

/** DELETE /v1/goals/{id}: where the money goes when the goal holds some (required then). */
export class CloseGoalQueryDto {
  @IsOptional()
  @IsUUID()
  toWalletId?: string;
}
