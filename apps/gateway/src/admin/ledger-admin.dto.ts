import { IsOptional, IsString, MaxLength } from 'class-validator';

/** POST /v1/admin/ledger/replays: entry times, `from` inclusive, `to` exclusive (default now); the ledger checks them. */
export class ReplayDto {
  @IsOptional()
  @IsString()
  @MaxLength(40)
  from?: string;

  @IsOptional()
  @IsString()
  @MaxLength(40)
  to?: string;
}
