import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, Matches, MaxLength } from 'class-validator';

export class SetFxRateDto {
  @ApiProperty({ example: 'GBP', description: 'the currency quoted: 1 base = rate quote' })
  @IsString()
  @Matches(/^[A-Z]{3}$/)
  base!: string;

  @ApiProperty({ example: 'MYR' })
  @IsString()
  @Matches(/^[A-Z]{3}$/)
  quote!: string;

  @ApiProperty({ example: '5.52', description: 'a positive decimal, at most 12 digits before the point and 10 after' })
  @IsString()
  @Matches(/^\d{1,12}(\.\d{1,10})?$/)
  rate!: string;

  @ApiProperty({ example: 'Reference rate of 2 December' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reason!: string;
}
