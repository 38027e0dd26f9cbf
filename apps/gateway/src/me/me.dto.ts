import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsISO8601, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { API_KEY_SCOPES, PROFILE_LANGUAGES, PROFILE_THEMES } from '@tally/contracts';
import { PageQueryDto } from '../http/page-query.dto';

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
}

export class ApiKeysQueryDto extends PageQueryDto {
  @IsOptional()
  @IsIn(['createdAt', 'lastUsedAt', 'name'])
  sortBy?: string;
}

/** PATCH /v1/me: only the fields sent change; null clears phone, username or defaultCurrency. Identity checks each value again. */
export class UpdateProfileDto {
  @IsOptional()
  @IsString()
  @Length(1, 200)
  fullName?: string;

  @IsOptional()
  @IsString()
  @MaxLength(20)
  phone?: string | null;

  @IsOptional()
  @IsString()
  @Length(3, 32)
  username?: string | null;

  /** An IANA time-zone name, e.g. Asia/Kuala_Lumpur. */
  @IsOptional()
  @IsString()
  @MaxLength(64)
  timeZone?: string;

  @IsOptional()
  @IsString()
  @Length(3, 3)
  defaultCurrency?: string | null;

  @IsOptional()
  @IsIn(PROFILE_LANGUAGES)
  language?: string;

  @IsOptional()
  @IsIn(PROFILE_THEMES)
  theme?: string;
}
