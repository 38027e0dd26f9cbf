import { COMMAND_CONTRACTS, Topics } from '@tally/contracts';
import { AnalyticsCommandsController } from './analytics-commands.controller';

describe('AnalyticsCommandsController', () => {
  it('has a route for every command contract on its topics', () => {
    // The handlers only close over the services; none runs here, so none is needed.
    const controller = new (AnalyticsCommandsController as unknown as new () => AnalyticsCommandsController)();
    const contracts = COMMAND_CONTRACTS.filter((c) => ([Topics.analyticsCommands] as string[]).includes(c.topic));
    expect(contracts.length).toBeGreaterThan(0);
    expect(contracts.filter((c) => !controller.router.handles(c)).map((c) => `${c.type}@v${c.version}`)).toEqual([]);
  });
});
