import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { USER_ROLES, USER_STATUSES } from '@tally/contracts';
import { PageQueryDto } from '../http/page-query.dto';

export class AdminUsersQueryDto extends PageQueryDto {
  @IsOptional()
  @IsIn(['createdAt', 'email', 'fullName', 'status'])
  sortBy?: string;

  @IsOptional()
  @IsIn(USER_STATUSES)
  status?: string;

  @IsOptional()
  @IsIn(USER_ROLES)
  role?: string;

  /** Part of an email, name or username, or the start of a wallet number (WA and at least four digits). */
  @IsOptional()
  @IsString()
  @Length(2, 100)
  q?: string;
}

export class StatusReasonDto {
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

export class SetRolesDto {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(USER_ROLES.length)
  @IsIn(USER_ROLES, { each: true })
  roles!: string[];
}
