import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsObject, IsOptional, IsString, Max, Min, MaxLength } from 'class-validator';
import { ImportEntryInput, MAX_IMPORT_ENTRIES } from '@tally/contracts';
import { PageQueryDto } from '../http/page-query.dto';

const wholeNumber = ({ value }: { value: unknown }) => (/^-?\d+$/.test(String(value)) ? Number(value) : value);

/** The rows are checked by the ledger one by one (a bad row is reported, not a 400 for all): here only their number and kind. */
export class CreateImportDto {
  @IsOptional()
  @IsString()
  @MaxLength(200)
  description?: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_IMPORT_ENTRIES)
  @IsObject({ each: true })
  // Each row is checked by the ledger, which rejects a bad row on its own and imports the rest.
  entries!: ImportEntryInput[];
}

export class ImportsQueryDto extends PageQueryDto {
  @IsOptional()
  @IsIn(['queued', 'running', 'completed'])
  status?: string;
}

/** The report's rows: all, or those of one status; up to 500 a page. */
export class ImportReportQueryDto {
  @IsOptional()
  @IsIn(['rejected', 'pending', 'posted', 'failed'])
  rowStatus?: string;

  @IsOptional()
  @Transform(wholeNumber)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  @IsOptional()
  @Transform(wholeNumber)
  @IsInt()
  @Min(0)
  offset?: number;
}
