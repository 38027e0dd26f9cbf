import { COMMAND_CONTRACTS, Topics } from '@tally/contracts';
import { NotificationCommandsController } from './notification-commands.controller';

describe('NotificationCommandsController', () => {
  it('has a route for every command contract on its topics', () => {
    // The handlers only close over the services; none runs here, so none is needed.
    const controller = new (NotificationCommandsController as unknown as new () => NotificationCommandsController)();
    const contracts = COMMAND_CONTRACTS.filter((c) => ([Topics.notificationCommands] as string[]).includes(c.topic));
    expect(contracts.length).toBeGreaterThan(0);
    expect(contracts.filter((c) => !controller.router.handles(c)).map((c) => `${c.type}@v${c.version}`)).toEqual([]);
  });
});
