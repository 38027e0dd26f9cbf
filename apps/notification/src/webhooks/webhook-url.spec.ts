import { isPublicAddress, webhookUrlProblem } from './webhook-url';

describe('webhook URL validation', () => {
  const none: string[] = [];
  const dev = ['127.0.0.1', 'localhost'];

  it('accepts https to a public host or address', () => {
    expect(webhookUrlProblem('https://hooks.example.com/tally?x=1', none)).toBeUndefined();
    expect(webhookUrlProblem('https://93.184.216.34/hook', none)).toBeUndefined();
    expect(webhookUrlProblem('https://[2606:2800:220:1:248:1893:25c8:1946]/hook', none)).toBeUndefined();
  });

  it('refuses plain http, other schemes and non-URLs', () => {
    expect(webhookUrlProblem('http://hooks.example.com/', none)).toMatch(/https/);
    expect(webhookUrlProblem('ftp://hooks.example.com/', none)).toMatch(/https/);
    expect(webhookUrlProblem('hooks.example.com/x', none)).toMatch(/absolute URL/);
    expect(webhookUrlProblem('', none)).toBeDefined();
    expect(webhookUrlProblem(42, none)).toBeDefined();
    expect(webhookUrlProblem(`https://example.com/${'a'.repeat(2100)}`, none)).toMatch(/at most/);
  });

  it('refuses credentials in the URL, even for a dev host', () => {
    expect(webhookUrlProblem('https://user:pass@hooks.example.com/', none)).toMatch(/credentials/);
    expect(webhookUrlProblem('https://token@hooks.example.com/', none)).toMatch(/credentials/);
    expect(webhookUrlProblem('http://user:pass@127.0.0.1:9000/', dev)).toMatch(/credentials/);
  });

  it('refuses private, loopback, link-local and local-only hosts (in every spelling)', () => {
    for (const url of [
      'https://127.0.0.1/',
      'https://10.1.2.3/',
      'https://172.20.0.1/',
      'https://192.168.1.10/',
      'https://169.254.169.254/latest/meta-data',
      'https://100.64.0.1/',
      'https://0.0.0.0/',
      'https://[::1]/',
      'https://[fe80::1]/',
      'https://[fd00::1]/',
      'https://[::ffff:127.0.0.1]/',
      'https://2130706433/',
      'https://0x7f.1/',
      'https://localhost/',
      'https://api.localhost/',
      'https://printer.local/',
      'https://intranet/',
    ]) {
      expect({ url, problem: webhookUrlProblem(url, none) }).toEqual({ url, problem: expect.any(String) });
    }
  });

  it('allows http and loopback only for the configured dev hosts', () => {
    expect(webhookUrlProblem('http://127.0.0.1:9000/hook', dev)).toBeUndefined();
    expect(webhookUrlProblem('http://localhost:9000/hook', dev)).toBeUndefined();
    expect(webhookUrlProblem('http://10.0.0.5:9000/hook', dev)).toMatch(/https/);
    expect(webhookUrlProblem('https://10.0.0.5:9000/hook', dev)).toMatch(/private/);
  });

  it('classifies addresses', () => {
    expect(isPublicAddress('8.8.8.8')).toBe(true);
    expect(isPublicAddress('2001:4860:4860::8888')).toBe(true);
    expect(isPublicAddress('127.0.0.1')).toBe(false);
    expect(isPublicAddress('::ffff:10.0.0.1')).toBe(false);
    expect(isPublicAddress('::ffff:7f00:1')).toBe(false);
    expect(isPublicAddress('::ffff:8.8.8.8')).toBe(true);
    expect(isPublicAddress('not an ip')).toBe(false);
  });
});
