import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { asyncApiDocument } from '@tally/contracts';

/**
 * The catalogue of the events internal subscribers can rely on: the AsyncAPI 3 document generated
 * from libs/contracts (docs/events.md). Beside /docs (the REST API's OpenAPI), not part of it.
 */
@ApiExcludeController()
@Controller('docs')
export class EventCatalogueController {
  private readonly document = asyncApiDocument();

  @Get('events')
  @Header('Cache-Control', 'public, max-age=300')
  events(): Record<string, unknown> {
    return this.document;
  }
}
