import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsISO8601, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { API_KEY_SCOPES } from '@tally/contracts';

export class PageQueryDto {
  @IsOptional()
  @Transform(({ value }) => (/^-?\d+$/.test(String(value)) ? Number(value) : value))
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @IsOptional()
  @Transform(({ value }) => (/^-?\d+$/.test(String(value)) ? Number(value) : value))
  @IsInt()
  @Min(0)
  offset?: number;
}

export class CreateApiKeyDto {
  @IsString()
  @Length(1, 100)
  name!: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(API_KEY_SCOPES.length)
  @IsIn(API_KEY_SCOPES, { each: true })
  scopes!: string[];

  @IsOptional()
  @IsISO8601({ strict: true })
  expiresAt?: string;
}

export class SessionsQueryDto extends PageQueryDto {
  @IsOptional()
  @IsIn(['lastUsedAt', 'createdAt', 'expiresAt'])
  sortBy?: string;

  @IsOptional()
  @IsIn(['asc', 'desc'])
  sortOrder?: string;
}

export class ApiKeysQueryDto extends PageQueryDto {
  @IsOptional()
  @IsIn(['createdAt', 'lastUsedAt', 'name'])
  sortBy?: string;

  @IsOptional()
  @IsIn(['asc', 'desc'])
  sortOrder?: string;
}
