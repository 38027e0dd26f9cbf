import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { BUDGET_PERIODS } from '@tally/contracts';
import { IsAmountInput } from '../http/amount.validator';

/** Shapes only; analytics checks the category's form, the amount against the currency and alertAt's order. */
export class CreateBudgetDto {
  @IsString()
  @MaxLength(50)
  category!: string;

  @IsAmountInput()
  amount!: string | number;

  @IsString()
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code' })
  currency!: string;

  @IsIn(BUDGET_PERIODS)
  period!: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @IsInt({ each: true })
  alertAt?: number[];
}

/** PATCH /v1/budgets/{id}: only the fields sent change; the currency stays. */
export class UpdateBudgetDto {
  @IsOptional()
  @IsString()
  @MaxLength(50)
  category?: string;

  @IsOptional()
  @IsAmountInput()
  amount?: string | number;

  @IsOptional()
  @IsIn(BUDGET_PERIODS)
  period?: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @IsInt({ each: true })
  alertAt?: number[];
}

export class BudgetListQueryDto {
  @IsOptional()
  @Matches(/^\d{1,6}$/, { message: 'limit must be a whole number' })
  limit?: string;

  @IsOptional()
  @Matches(/^\d{1,9}$/, { message: 'offset must be a whole number' })
  offset?: string;
}
