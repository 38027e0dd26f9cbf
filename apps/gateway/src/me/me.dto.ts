import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsISO8601, IsOptional, IsString, Length } from 'class-validator';
import { API_KEY_SCOPES } from '@tally/contracts';
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
