import { COMMAND_CONTRACTS, Topics } from '@tally/contracts';
import { FraudCommandsController } from './fraud-commands.controller';

describe('FraudCommandsController', () => {
  it('has a route for every command contract on its topics', () => {
    // The handlers only close over the services; none runs here, so none is needed.
    const controller = new (FraudCommandsController as unknown as new () => FraudCommandsController)();
    const contracts = COMMAND_CONTRACTS.filter((c) => ([Topics.fraudCommands] as string[]).includes(c.topic));
    expect(contracts.length).toBeGreaterThan(0);
    expect(contracts.filter((c) => !controller.router.handles(c)).map((c) => `${c.type}@v${c.version}`)).toEqual([]);
  });
});
