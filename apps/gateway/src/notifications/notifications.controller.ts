import { Controller, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';
import { Actor, NotificationCommands, NotificationView, Page } from '@tally/contracts';
import { CurrentActor, JwtAuthGuard } from '../auth/jwt-auth.guard';
import { CommandClient } from '../commands/command-client';
import { CreatedAtPageQueryDto } from '../http/page-query.dto';
import { ApiAnswer } from '../openapi/openapi';
import { PathIdPipe } from '../http/path-id.pipe';

export class NotificationsQueryDto extends CreatedAtPageQueryDto {
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  unread?: boolean;
}

@ApiTags('notifications')
@ApiBearerAuth('bearer')
@Controller('v1/me/notifications')
@UseGuards(JwtAuthGuard)
export class NotificationsController {
  constructor(private readonly commands: CommandClient) {}

  @Get()
  @ApiAnswer(200, 'NotificationList')
  @ApiQuery({ name: 'unread', required: false, type: Boolean })
  @ApiQuery({ name: 'limit', required: false, type: Number })
  @ApiQuery({ name: 'offset', required: false, type: Number })
  list(@CurrentActor() actor: Actor, @Query() query: NotificationsQueryDto): Promise<Page<NotificationView>> {
    const payload = { unread: query.unread ?? false, limit: query.limit ?? 50, offset: query.offset ?? 0, sortBy: query.sortBy, sortOrder: query.sortOrder };
    return this.commands.send(NotificationCommands.list, payload, { actor });
  }

  @Post(':id/read')
  @HttpCode(204)
  @ApiAnswer(204)
  async markRead(@CurrentActor() actor: Actor, @Param('id', new PathIdPipe()) id: string): Promise<void> {
    await this.commands.send(NotificationCommands.markRead, { notificationId: id }, { actor });
  }
}
