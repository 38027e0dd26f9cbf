import { Controller, Get, UseGuards } from '@nestjs/common';
import { Actor, UserSummaryView } from '@tally/contracts';
import { CurrentActor, JwtAuthGuard } from '../auth/jwt-auth.guard';
import { SummaryService } from './summary.service';

@Controller('v1/me')
@UseGuards(JwtAuthGuard)
export class SummaryController {
  constructor(private readonly summary: SummaryService) {}

  @Get('summary')
  get(@CurrentActor() actor: Actor): Promise<UserSummaryView> {
    return this.summary.forUser(actor);
  }
}
