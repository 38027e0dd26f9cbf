import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

export class ReversalDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reason!: string;
}
