import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';

const wholeNumber = ({ value }: { value: unknown }) => (/^-?\d+$/.test(String(value)) ? Number(value) : value);

/** api-v1's list parameters; each list adds the `sortBy` columns it allows. */
export class PageQueryDto {
  @IsOptional()
  @Transform(wholeNumber)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @IsOptional()
  @Transform(wholeNumber)
  @IsInt()
  @Min(0)
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
