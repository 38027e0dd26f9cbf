import { BlockList, isIP } from 'node:net';

/** Addresses a webhook may never reach (SSRF): private, loopback, link-local, shared, documentation, multicast, reserved. */
const NON_PUBLIC = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  NON_PUBLIC.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const) {
  NON_PUBLIC.addSubnet(net, prefix, 'ipv6');
}

/** True for an address on the public internet; false for any private, loopback or link-local one. */
export function isPublicAddress(address: string): boolean {
  const ip = address.replace(/^\[|\]$/g, '');
  const family = isIP(ip);
  if (family === 4) return !NON_PUBLIC.check(ip, 'ipv4');
  if (family !== 6) return false;
  // IPv4-mapped and IPv4-compatible forms reach the IPv4 address inside.
  const mapped = /^(?:::ffff:|::)(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return isPublicAddress(mapped[1]);
  const hexMapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(ip);
  if (hexMapped) {
    const hi = parseInt(hexMapped[1], 16);
    const lo = parseInt(hexMapped[2], 16);
    return isPublicAddress(`${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`);
  }
  return !NON_PUBLIC.check(ip, 'ipv6');
}

/** A host named in WEBHOOK_DEV_HOSTS (dev/test only): plain http and private addresses allowed for it. */
export function isDevHost(hostname: string, devHosts: readonly string[]): boolean {
  return devHosts.includes(hostname.replace(/^\[|\]$/g, '').toLowerCase());
}

const MAX_URL_LENGTH = 2048;

/**
 * Why a webhook URL is refused, or undefined when it is acceptable: https only (http only for a
 * dev host), no credentials in it, and no literal private address or local-only name. A name that
 * resolves to a private address is refused again at delivery time (see webhook-sender.ts), where
 * the address actually connected to is checked.
 */
export function webhookUrlProblem(raw: unknown, devHosts: readonly string[]): string | undefined {
  if (typeof raw !== 'string' || raw.length === 0) return 'url must be a non-empty string';
  if (raw.length > MAX_URL_LENGTH) return `url must be at most ${MAX_URL_LENGTH} characters`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'url is not an absolute URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'url must use https';
  if (url.username || url.password) return 'url must not carry credentials';
  if (!url.hostname) return 'url must name a host';
  if (isDevHost(url.hostname, devHosts)) return undefined;
  if (url.protocol !== 'https:') return 'url must use https';
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (isIP(host)) return isPublicAddress(host) ? undefined : 'url must not point to a private, loopback or link-local address';
  if (host === 'localhost' || /\.(localhost|local|internal|localdomain|home\.arpa)$/.test(host) || !host.includes('.')) {
    return 'url must name a public host';
  }
  return undefined;
}
