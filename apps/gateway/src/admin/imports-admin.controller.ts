import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Actor, ADMIN_READ_ROLES, ImportDetailView, ImportView, LedgerCommands, Page } from '@tally/contracts';
import { origin } from '../auth/auth.controller';
import { CurrentActor, IdempotencyKey, JwtAuthGuard } from '../auth/jwt-auth.guard';
import { RequireRoles, RolesGuard } from '../auth/roles.guard';
import { CommandClient } from '../commands/command-client';
import { ApiAnswer, ApiQueries } from '../openapi/openapi';
import { CreateImportDto, ImportReportQueryDto, ImportsQueryDto } from './imports-admin.dto';
import { PathIdPipe } from '../http/path-id.pipe';

/**
 * Bulk import of past transactions (admin): 202 with the import; the ledger books the accepted rows
 * in the background, in the order they happened; poll GET for the per-row report. Rows are checked
 * by the ledger one by one, so a bad row is reported, not a 400 for the whole import.
 */
@ApiTags('admin')
@ApiBearerAuth('bearer')
@Controller('v1/admin/imports')
@UseGuards(JwtAuthGuard, RolesGuard)
@RequireRoles('admin')
export class ImportsAdminController {
  constructor(private readonly commands: CommandClient) {}

  @Post()
  @HttpCode(202)
  @ApiAnswer(202, 'Import')
  create(@CurrentActor() actor: Actor, @IdempotencyKey() idempotencyKey: string, @Body() body: CreateImportDto, @Req() req: Request): Promise<ImportView> {
    return this.commands.send(LedgerCommands.createImport, { ...body, ...origin(req) }, { actor, idempotencyKey });
  }

  @Get()
  @RequireRoles(...ADMIN_READ_ROLES)
  @ApiAnswer(200, 'ImportList')
  @ApiQueries('status', 'limit', 'offset')
  list(@CurrentActor() actor: Actor, @Query() query: ImportsQueryDto): Promise<Page<ImportView>> {
    return this.commands.send(LedgerCommands.listImports, query, { actor });
  }

  @Get(':id')
  @RequireRoles(...ADMIN_READ_ROLES)
  @ApiAnswer(200, 'ImportDetail')
  get(@CurrentActor() actor: Actor, @Param('id', new PathIdPipe()) id: string, @Query() query: ImportReportQueryDto): Promise<ImportDetailView> {
    return this.commands.send(LedgerCommands.getImport, { ...query, importId: id }, { actor, key: id });
  }
}
