import { lookup } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { Agent, buildConnector, setGlobalDispatcher } from 'undici';

/**
 * Whether the archive may connect to an address: not loopback, private, link-local, shared (CGNAT),
 * reserved, documentation, multicast or unspecified, in either family, nor an IPv6 form that
 * carries such an IPv4 address (IPv4-mapped, IPv4-compatible, NAT64, 6to4, Teredo).
 */
export function isPublicAddress(address: string): boolean {
  if (isIP(address) === 4) return isPublicIPv4(address.split('.').map(Number));
  const words = ipv6Words(address);
  if (!words) return false;
  const [a = 0, b = 0] = words;
  const embedded = [words[6] ?? 0, words[7] ?? 0].flatMap((word) => [word >> 8, word & 0xff]);
  const zeros = (count: number) => words.slice(0, count).every((word) => word === 0);
  // ::/96 (IPv4-compatible, and with it :: and ::1) and ::ffff:0:0/96 (IPv4-mapped).
  if (zeros(6)) return false;
  if (zeros(5) && words[5] === 0xffff) return isPublicIPv4(embedded);
  // NAT64, well-known and local-use prefixes.
  if (a === 0x64 && b === 0xff9b) return words.slice(2, 6).every((word) => word === 0) && isPublicIPv4(embedded);
  if (a === 0x2002 || (a === 0x2001 && b === 0)) return false; // 6to4, Teredo: tunnels to whatever they embed
  if (a === 0x2001 && b === 0xdb8) return false; // documentation
  if (a === 0x100 && words.slice(1, 4).every((word) => word === 0)) return false; // discard
  return !((a & 0xfe00) === 0xfc00 || (a & 0xffc0) === 0xfe80 || (a & 0xffc0) === 0xfec0 || (a & 0xff00) === 0xff00);
}

function isPublicIPv4([a = 0, b = 0, c = 0]: number[]): boolean {
  return !(
    a === 0 ||
    a === 10 ||
    a === 127 ||
    (a === 100 && b >= 64 && b <= 127) ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 0 && (c === 0 || c === 2)) ||
    (a === 192 && b === 88 && c === 99) ||
    (a === 192 && b === 168) ||
    (a === 198 && (b === 18 || b === 19)) ||
    (a === 198 && b === 51 && c === 100) ||
    (a === 203 && b === 0 && c === 113) ||
    a >= 224
  );
}

/** The eight 16-bit words of an IPv6 address (a trailing dotted quad allowed), or null if it is not one. */
function ipv6Words(address: string): number[] | null {
  const bare = address.replace(/^\[|\]$/g, '').split('%')[0] ?? '';
  if (isIP(bare) !== 6) return null;
  let text = bare.toLowerCase();
  const quad = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (quad) {
    const [p, q, r, s] = quad.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, quad.index)}${((p << 8) | q).toString(16)}:${((r << 8) | s).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const part = (side: string) => (side ? side.split(':').map((word) => Number.parseInt(word, 16)) : []);
  const front = part(head);
  const back = tail === undefined ? [] : part(tail);
  return [...front, ...Array(8 - front.length - back.length).fill(0), ...back];
}

/** Names that are loopback by definition (RFC 6761), whatever a resolver says. */
const isLocalName = (host: string) => /(^|\.)localhost\.?$/i.test(host);

export class PrivateAddressError extends Error {}

/** Resolves a name and answers only if every address it has is public; a failed lookup is a refusal. */
const publicLookup: LookupFunction = (hostname, options, callback) => {
  lookup(hostname, { all: true, family: options.family ?? 0 }, (error, addresses) => {
    if (error) return callback(error, '', 0);
    const refused = addresses.find(({ address }) => !isPublicAddress(address));
    if (refused || addresses.length === 0) {
      return callback(new PrivateAddressError(`${hostname} leads to a private address (${refused?.address ?? 'none'})`), '', 0);
    }
    if (options.all) return (callback as unknown as (e: null, all: typeof addresses) => void)(null, addresses);
    const [first] = addresses as [(typeof addresses)[number]];
    callback(null, first.address, first.family);
  });
};

let guarded = false;

/**
 * Makes every connection this process opens through fetch — Fedify's lookups, its document
 * loaders and every delivery — go only to public addresses. The check is made where the socket is
 * opened, on the addresses actually connected to (so a name that resolves differently the second
 * time, or a redirect, gains nothing), and on address literals, which are never looked up. Fetch
 * is used for nothing else here (mail and S3 have their own clients), so the guard is the
 * process's: installed once, when an archive federates without FEDERATION_PRIVATE_ADDRESSES=allow.
 */
export function guardOutgoingConnections(): void {
  if (guarded) return;
  guarded = true;
  const connect = buildConnector({ lookup: publicLookup } as buildConnector.BuildOptions);
  setGlobalDispatcher(
    new Agent({
      connect(options, callback) {
        const host = options.hostname.replace(/^\[|\]$/g, '');
        if (isLocalName(host) || (isIP(host) !== 0 && !isPublicAddress(host))) {
          callback(new PrivateAddressError(`${host} is a private address`), null);
          return;
        }
        connect(options, callback);
      },
    }),
  );
}
