// The dashboard's bearer token travels only over https, or over plain http to a private address (the
// VPC topology: RFC 1918, RFC 6598 shared space used as VPC secondary CIDRs, IPv6 ULA, loopback). A
// host name is resolved and every address it names must be private; one that cannot be resolved is
// refused, never assumed private. Shared by the Lambda's adapter and the CLI's up-front check.
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

const PRIVATE = new BlockList();
for (const [net, bits] of [
  ['10.0.0.0', 8],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
] as const)
  PRIVATE.addSubnet(net, bits, 'ipv4');
PRIVATE.addSubnet('fc00::', 7, 'ipv6');
PRIVATE.addAddress('::1', 'ipv6');

export function isPrivateAddress(address: string): boolean {
  const ip = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address)?.[1] ?? address;
  const family = isIP(ip);
  if (family === 0) return false;
  return PRIVATE.check(ip, family === 4 ? 'ipv4' : 'ipv6');
}

/** Every address a host name resolves to. */
export type ResolveHost = (host: string) => Promise<string[]>;

export const resolveHost: ResolveHost = async (host) =>
  (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

/**
 * Why the bearer token may not be sent to `url`, or undefined when it may. Bounded by `timeoutMs`: a
 * resolver that never answers is a refusal, not a hang.
 */
export async function tokenTransportProblem(
  url: string,
  resolve: ResolveHost = resolveHost,
  timeoutMs = 5000,
): Promise<string | undefined> {
  const checked = await tokenDestination(url, resolve, timeoutMs);
  return 'problem' in checked ? checked.problem : undefined;
}

/**
 * Where the token may go: for plain http, the private address the host resolved to, which the request
 * must connect to (never a second lookup: it may answer otherwise); nothing to pin for https.
 */
export async function tokenDestination(
  url: string,
  resolve: ResolveHost = resolveHost,
  timeoutMs = 5000,
): Promise<{ readonly problem: string } | { readonly address?: string }> {
  const refused = (problem: string) => ({ problem });
  const parsed = new URL(url);
  if (parsed.protocol === 'https:') return {};
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  if (isIP(host)) addresses = [host];
  else {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      addresses = await Promise.race([resolve(host), deadline]);
    } catch (err) {
      return refused(
        `refusing to send the dashboard token over plain http to ${host}: its address could not be resolved to prove it private (${(err as Error).message}); use https`,
      );
    } finally {
      clearTimeout(timer);
    }
  }
  const open = addresses.filter((a) => !isPrivateAddress(a));
  if (addresses.length === 0 || open.length > 0)
    return refused(
      `refusing to send the dashboard token over plain http to ${host}${open.length ? ` (${open[0]} is not a private address)` : ''}: use https, or http to a private address inside the VPC`,
    );
  // An address literal is connected to as written; a name is pinned to the answer just checked.
  return isIP(host) ? {} : { address: addresses[0] };
}
