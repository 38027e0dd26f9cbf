import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { postWebhook } from './webhook-sender';

/** The sender against real sockets on 127.0.0.1: the address check at connect time, redirects, the timeout. */
describe('webhook sender', () => {
  let server: Server;
  let port: number;
  const hits: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      hits.push(req.url ?? '');
      req.resume();
      if (req.url === '/slow') return; // never answers
      if (req.url === '/redirect') return void res.writeHead(302, { location: 'http://169.254.169.254/' }).end();
      res.writeHead(200).end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const send = (url: string, devHosts: string[], timeoutMs = 2000) => postWebhook(url, '{}', {}, { timeoutMs, devHosts });

  it('refuses a name that resolves to a loopback address, and a private literal, unless it is a dev host', async () => {
    hits.length = 0;
    expect((await send(`http://localhost:${port}/named`, [])).error).toMatch(/refused/);
    expect((await send(`http://127.0.0.1:${port}/literal`, [])).error).toMatch(/refused/);
    expect((await send(`http://[::ffff:127.0.0.1]:${port}/mapped`, [])).error).toMatch(/refused/);
    expect(hits).toEqual([]);
    expect(await send(`http://localhost:${port}/named`, ['localhost'])).toEqual({ status: 200 });
    expect(hits).toEqual(['/named']);
  });

  it('does not follow redirects and gives up at the timeout', async () => {
    expect(await send(`http://127.0.0.1:${port}/redirect`, ['127.0.0.1'])).toEqual({ status: 302 });
    const started = Date.now();
    const slow = await send(`http://127.0.0.1:${port}/slow`, ['127.0.0.1'], 300);
    expect(slow.error).toMatch(/timeout/);
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
