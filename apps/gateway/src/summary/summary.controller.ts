import { Controller, Get, UseGuards } from '@nestjs/common';
import { Actor, UserSummaryView } from '@tally/contracts';
import { CurrentActor, JwtAuthGuard } from '../auth/jwt-auth.guard';
import { SummaryService } from './summary.service';
import { ApiAnswer } from '../openapi/openapi';

@Controller('v1/me')
@UseGuards(JwtAuthGuard)
export class SummaryController {
  constructor(private readonly summary: SummaryService) {}

  @Get('summary')
  @ApiAnswer(200, 'Summary')
  get(@CurrentActor() actor: Actor): Promise<UserSummaryView> {
    return this.summary.forUser(actor);
  }
}
