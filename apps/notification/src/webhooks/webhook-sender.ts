import { lookup as dnsLookup, LookupAddress } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, LookupFunction } from 'node:net';
import { isDevHost, isPublicAddress } from './webhook-url';

export interface WebhookPostResult {
  /** The HTTP status, when an answer came. */
  status?: number;
  /** Why it failed without an answer (timeout, refused address, connection error). */
  error?: string;
}

/**
 * POSTs one delivery. The address actually connected to is checked in the DNS lookup itself, so a
 * name that resolves (or re-resolves) to a private address is refused (SSRF), unless it is a dev
 * host. Redirects are not followed; the whole exchange is bounded by timeoutMs.
 */
export function postWebhook(
  url: string,
  body: string,
  headers: Record<string, string>,
  options: { timeoutMs: number; devHosts: readonly string[] },
): Promise<WebhookPostResult> {
  const target = new URL(url);
  const dev = isDevHost(target.hostname, options.devHosts);
  const literal = target.hostname.replace(/^\[|\]$/g, '');
  if (!dev && isIP(literal) && !isPublicAddress(literal)) return Promise.resolve({ error: 'refused: not a public address' });
  const lookup: LookupFunction = (hostname, lookupOptions, callback) => {
    dnsLookup(hostname, { ...lookupOptions, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, '', 0);
      if (!dev && addresses.some((a) => !isPublicAddress(a.address))) {
        return callback(Object.assign(new Error('refused: the host resolves to a non-public address'), { code: 'EREFUSEDADDRESS' }), '', 0);
      }
      if (lookupOptions.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      return callback(null, addresses[0].address, addresses[0].family);
    });
  };
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    const req = send(
      target,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), 'user-agent': 'Tally-Webhooks/1', ...headers },
        lookup,
        signal: AbortSignal.timeout(options.timeoutMs),
      },
      (res) => {
        // The answer's body is not needed; drain it so the socket is released.
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode }));
        res.on('error', () => resolve({ status: res.statusCode }));
      },
    );
    req.on('error', (err: Error & { code?: string }) => {
      const error = err.name === 'AbortError' || err.name === 'TimeoutError' ? `timeout after ${options.timeoutMs} ms` : err.message;
      resolve({ error: error.slice(0, 300) });
    });
    req.end(body);
  });
}
