import { IsEmail, IsOptional, IsString, Length, MaxLength, ValidateIf } from 'class-validator';

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
  @ValidateIf((o: LoginDto) => o.username === undefined)
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

export class ResetPasswordDto {
  @IsString()
  @Length(1, 200)
  token!: string;

  @IsString()
  @Length(10, 128)
  newPassword!: string;
}
