import { COMMAND_CONTRACTS, Topics } from '@tally/contracts';
import { LedgerCommandsController } from './ledger-commands.controller';

describe('LedgerCommandsController', () => {
  it('has a route for every command contract on its topics', () => {
    // The handlers only close over the services; none runs here, so none is needed.
    const controller = new (LedgerCommandsController as unknown as new () => LedgerCommandsController)();
    const contracts = COMMAND_CONTRACTS.filter((c) => ([Topics.ledgerCommands] as string[]).includes(c.topic));
    expect(contracts.length).toBeGreaterThan(0);
    expect(contracts.filter((c) => !controller.router.handles(c)).map((c) => `${c.type}@v${c.version}`)).toEqual([]);
  });
});
