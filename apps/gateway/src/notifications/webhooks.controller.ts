import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ArrayMaxSize, ArrayNotEmpty, IsArray, IsString, MaxLength } from 'class-validator';
import { Actor, CreatedWebhookView, NotificationSettingsCommands, Page, WebhookDeliveryView, WebhookView } from '@tally/contracts';
import { CurrentActor, IdempotencyKey, JwtAuthGuard } from '../auth/jwt-auth.guard';
import { CommandClient } from '../commands/command-client';
import { CreatedAtPageQueryDto } from '../http/page-query.dto';
import { AnswerHoldsSecret } from '../idempotency/idempotency.interceptor';
import { ApiAnswer } from '../openapi/openapi';
import { PathIdPipe } from '../http/path-id.pipe';

export class CreateWebhookDto {
  @IsString()
  @MaxLength(2048)
  url!: string;

  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  events!: string[];
}

@Controller('v1/me/webhooks')
@UseGuards(JwtAuthGuard)
export class WebhooksController {
  constructor(private readonly commands: CommandClient) {}

  /** 201 with the signing secret, shown this once. */
  @Post()
  @HttpCode(201)
  @AnswerHoldsSecret()
  @ApiAnswer(201, 'CreatedWebhook')
  create(@CurrentActor() actor: Actor, @IdempotencyKey() idempotencyKey: string, @Body() body: CreateWebhookDto): Promise<CreatedWebhookView> {
    return this.commands.send(NotificationSettingsCommands.createWebhook, body, { actor, idempotencyKey });
  }

  @Get()
  @ApiAnswer(200, 'WebhookList')
  list(@CurrentActor() actor: Actor, @Query() query: CreatedAtPageQueryDto): Promise<Page<WebhookView>> {
    return this.commands.send(NotificationSettingsCommands.listWebhooks, query, { actor });
  }

  @Get(':id')
  @ApiAnswer(200, 'Webhook')
  get(@CurrentActor() actor: Actor, @Param('id', new PathIdPipe()) id: string): Promise<WebhookView> {
    return this.commands.send(NotificationSettingsCommands.getWebhook, { webhookId: id }, { actor });
  }

  @Delete(':id')
  @HttpCode(204)
  async delete(@CurrentActor() actor: Actor, @Param('id', new PathIdPipe()) id: string): Promise<void> {
    await this.commands.send(NotificationSettingsCommands.deleteWebhook, { webhookId: id }, { actor });
  }

  /** Each delivery with its attempts, last status and next attempt (an addition to api-v1). */
  @Get(':id/deliveries')
  @ApiAnswer(200, 'WebhookDeliveryList')
  deliveries(
    @CurrentActor() actor: Actor,
    @Param('id', new PathIdPipe()) id: string,
    @Query() query: CreatedAtPageQueryDto,
  ): Promise<Page<WebhookDeliveryView>> {
    return this.commands.send(NotificationSettingsCommands.listDeliveries, { ...query, webhookId: id }, { actor });
  }
}
