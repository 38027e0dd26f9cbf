import { IsBoolean, IsEmail, IsOptional, IsString, Length, Matches, MaxLength, ValidateIf } from 'class-validator';

export class RegisterDto {
  @IsEmail()
  @MaxLength(320)
  email!: string;

  @IsString()
  @Length(10, 128)
  password!: string;

  @IsString()
  @Length(1, 200)
  fullName!: string;

  @IsOptional()
  @IsString()
  @MaxLength(20)
  phone?: string;

  @IsOptional()
  @IsString()
  @Length(3, 32)
  username?: string;
}

export class LoginDto {
  // Required without a username; checked whenever sent (a number beside a username is 400, not passed on).
  @ValidateIf((o: LoginDto) => o.username === undefined || o.email !== undefined)
  @IsString()
  @MaxLength(320)
  email?: string;

  @IsOptional()
  @IsString()
  @MaxLength(32)
  username?: string;

  @IsString()
  @MaxLength(128)
  password!: string;

  /** The 6-digit code of the account's authenticator app (accounts with TOTP; always admins and auditors). */
  @IsOptional()
  @Matches(/^\d{6}$/, { message: 'totpCode must be 6 digits' })
  totpCode?: string;

  /** One of the account's recovery codes, instead of totpCode; each works once. */
  @IsOptional()
  @IsString()
  @Length(1, 64)
  recoveryCode?: string;
}

export class RefreshDto {
  @IsString()
  @Length(1, 200)
  refreshToken!: string;
}

export class TokenDto {
  @IsString()
  @Length(1, 200)
  token!: string;
}

export class ForgotPasswordDto {
  @IsString()
  @Length(1, 320)
  email!: string;
}

/** A new password; the sessions it replaces end, and the API keys too unless kept. */
class NewPasswordDto {
  @IsString()
  @Length(10, 128)
  newPassword!: string;

  /** API keys are revoked with the sessions unless this is true. */
  @IsOptional()
  @IsBoolean()
  keepApiKeys?: boolean;
}

export class ResetPasswordDto extends NewPasswordDto {
  @IsString()
  @Length(1, 200)
  token!: string;
}

export class ChangePasswordDto extends NewPasswordDto {
  @IsString()
  @Length(1, 128)
  currentPassword!: string;
}

export class SecondFactorCodeDto {
  /** A current 6-digit TOTP code, or (to disable TOTP or renew recovery codes) a recovery code. */
  @IsString()
  @Length(6, 64)
  code!: string;
}
