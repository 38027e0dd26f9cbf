import { COMMAND_CONTRACTS, Topics } from '@tally/contracts';
import { IdentityCommandsController } from './identity-commands.controller';

describe('IdentityCommandsController', () => {
  it('has a route for every command contract on its topics', () => {
    // The handlers only close over the services; none runs here, so none is needed.
    const controller = new (IdentityCommandsController as unknown as new () => IdentityCommandsController)();
    const contracts = COMMAND_CONTRACTS.filter((c) => ([Topics.identityCommands, Topics.identityCredentials] as string[]).includes(c.topic));
    expect(contracts.length).toBeGreaterThan(0);
    expect(contracts.filter((c) => !controller.router.handles(c)).map((c) => `${c.type}@v${c.version}`)).toEqual([]);
  });

  it('answers the credential commands on identity.credentials too, and only those', () => {
    const controller = new (IdentityCommandsController as unknown as new () => IdentityCommandsController)();
    for (const contract of COMMAND_CONTRACTS.filter((c) => ([Topics.identityCommands, Topics.identityCredentials] as string[]).includes(c.topic))) {
      expect([contract.type, controller.credentials.handles(contract)]).toEqual([contract.type, contract.topic === Topics.identityCredentials]);
    }
  });
});
