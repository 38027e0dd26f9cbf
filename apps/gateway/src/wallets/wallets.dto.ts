import { IsOptional, IsString, IsTimeZone, Length, Matches, MaxLength } from 'class-validator';
import { IsAmountInput } from '../http/amount.validator';

export class OpenWalletDto {
  @IsString()
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code' })
  currency!: string;

  @IsString()
  @Matches(/^\d{4,6}$/, { message: 'pin must be 4 to 6 digits' })
  pin!: string;

  @IsOptional()
  @IsAmountInput()
  dailyLimit?: string | number;

  @IsOptional()
  @IsAmountInput()
  monthlyLimit?: string | number;

  /** IANA name (e.g. "Europe/Berlin"): daily and monthly limits reset at its midnight. */
  @IsOptional()
  @IsString()
  @MaxLength(64)
  @IsTimeZone({ message: 'timeZone must be an IANA time-zone name such as Europe/Berlin' })
  timeZone?: string;

  /** The holder's own name for the wallet (1 to 60 characters). */
  @IsOptional()
  @IsString()
  @Length(1, 60)
  name?: string;
}

/** PATCH /v1/wallets/{id}: only the fields sent change; null removes the name; limits at most the platform's caps. */
export class UpdateWalletDto {
  @IsOptional()
  @IsString()
  @Length(1, 60)
  name?: string | null;

  @IsOptional()
  @IsAmountInput()
  dailyLimit?: string | number;

  @IsOptional()
  @IsAmountInput()
  monthlyLimit?: string | number;
}

/** PUT /v1/wallets/{id}/pin */
export class ChangePinDto {
  @IsString()
  @Matches(/^\d{4,6}$/, { message: 'oldPin must be 4 to 6 digits' })
  oldPin!: string;

  @IsString()
  @Matches(/^\d{4,6}$/, { message: 'newPin must be 4 to 6 digits' })
  newPin!: string;
}

/** POST /v1/wallets/{id}/pin/reset: the account password re-authenticates the owner; the ledger checks the PIN's strength. */
export class ResetPinDto {
  @IsString()
  @Length(1, 128)
  password!: string;

  @IsString()
  @Matches(/^\d{4,6}$/, { message: 'newPin must be 4 to 6 digits' })
  newPin!: string;
}

/** POST /v1/wallets/{id}/freeze, /unfreeze, /close; the body may be empty. */
export class WalletStatusDto {
  @IsOptional()
  @IsString()
  @MaxLength(200)
  reason?: string;
}

export class DepositDto {
  @IsAmountInput()
  amount!: string | number;

  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;

  @IsOptional()
  @IsString()
  @Length(1, 50)
  paymentMethod?: string;
}

/** GET /v1/wallets/{id}/balance?asOf=…; the ledger checks the time (ISO 8601 with a zone, not in the future). */
export class BalanceQueryDto {
  @IsOptional()
  @IsString()
  @MaxLength(40)
  asOf?: string;
}
