import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

export class UnlockPinDto {
  @ApiProperty({ example: 'Owner verified by phone; locked by a child playing with the app' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reason!: string;
}
