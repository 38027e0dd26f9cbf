import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';

const wholeNumber = ({ value }: { value: unknown }) => (/^-?\d+$/.test(String(value)) ? Number(value) : value);

export const MAX_OFFSET = 1_000_000;

/** api-v1's list parameters; each list adds the `sortBy` columns it allows. */
export class PageQueryDto {
  @IsOptional()
  @Transform(wholeNumber)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  /** Capped like the ledger's and analytics' lists: past it, a whole number may not even fit the database's bigint. */
  @IsOptional()
  @Transform(wholeNumber)
  @IsInt()
  @Min(0)
  @Max(MAX_OFFSET)
  offset?: number;

  @IsOptional()
  @IsIn(['asc', 'desc'])
  sortOrder?: string;
}

/** A list sorted by creation time only. */
export class CreatedAtPageQueryDto extends PageQueryDto {
  @IsOptional()
  @IsIn(['createdAt'])
  sortBy?: string;
}
