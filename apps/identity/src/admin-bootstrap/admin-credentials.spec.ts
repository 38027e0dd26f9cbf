import { ConfigError, EnvReader } from '@tally/bootstrap';
import { readAdminCredentials } from './admin-credentials';

function read(env: NodeJS.ProcessEnv) {
  const reader = new EnvReader(env);
  const admin = readAdminCredentials(reader);
  return { admin, problems: reader.problems, reader };
}

describe('readAdminCredentials', () => {
  it('is off when neither variable is set', () => {
    expect(read({})).toMatchObject({ admin: undefined, problems: [] });
  });

  it('reads both variables', () => {
    const { admin, problems } = read({ TALLY_ADMIN_EMAIL: 'root@example.com', TALLY_ADMIN_PASSWORD: 'long enough 42' });
    expect(problems).toEqual([]);
    expect(admin).toEqual({ email: 'root@example.com', password: 'long enough 42' });
  });

  it('refuses one variable without the other', () => {
    expect(read({ TALLY_ADMIN_EMAIL: 'root@example.com' }).problems).toEqual(['TALLY_ADMIN_EMAIL and TALLY_ADMIN_PASSWORD must be set together (or neither)']);
    expect(read({ TALLY_ADMIN_PASSWORD: 'long enough 42' }).admin).toBeUndefined();
  });

  it('refuses a bad email and a weak password, and never echoes the password', () => {
    const { admin, problems, reader } = read({ TALLY_ADMIN_EMAIL: 'root', TALLY_ADMIN_PASSWORD: 'secret' });
    expect(admin).toBeUndefined();
    expect(problems).toEqual(['TALLY_ADMIN_EMAIL must be an email address', 'TALLY_ADMIN_PASSWORD must be 10 to 128 characters']);
    expect(() => reader.done()).toThrow(ConfigError);
    expect(problems.join(' ')).not.toContain('secret');
  });
});
