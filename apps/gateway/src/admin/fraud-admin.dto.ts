import { IsBoolean, IsIn, IsInt, IsISO8601, IsNotEmpty, IsObject, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

export class ReviewsQueryDto {
  @IsOptional()
  @IsIn(['open', 'approved', 'rejected', 'expired'])
  status?: string;

  @IsOptional()
  @Matches(/^\d{1,3}$/, { message: 'limit must be a whole number from 1 to 100' })
  limit?: string;

  @IsOptional()
  @Matches(/^\d{1,9}$/, { message: 'offset must be a whole number' })
  offset?: string;
}

export class ReviewDecisionDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reason!: string;
}

/** PATCH /v1/admin/fraud/rules/{code}: any of weight, enabled and parameters (merged into the stored ones; fraud checks them per rule). */
export class UpdateRuleDto {
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  weight?: number;

  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  @IsOptional()
  @IsObject()
  parameters?: Record<string, unknown>;
}

export class FraudStatsQueryDto {
  @IsOptional()
  @IsISO8601()
  from?: string;

  @IsOptional()
  @IsISO8601()
  to?: string;
}
