/**
 * The client's address behind a load balancer. The socket's address is the balancer's, so every client
 * would share one login throttle and one refusal bucket; the balancer says who the client is in
 * `X-Forwarded-For`. That header is believed only from the proxies the operator names
 * (`GATEWAY_TRUSTED_PROXIES`), and read from the right: each hop a trusted proxy added is skipped, and
 * the first address no trusted proxy stands for is the client (anything left of it a client could have
 * written itself). Unset, the header is ignored: a client cannot choose its own address.
 */
import ipaddr from "ipaddr.js";

/** True when `address` is one of the operator's proxies. */
export type TrustedProxies = (address: string) => boolean;

/** An address parsed; an IPv4-mapped IPv6 one (`::ffff:10.0.0.1`) as the IPv4 address it stands for. */
const parsed = (address: string) => ipaddr.process(address);

/**
 * The check for `list` ("10.0.0.0/8, 192.168.1.7, ::1": addresses and CIDR ranges, comma-separated), or
 * undefined for none. Throws, naming the entry, on one that is neither.
 */
export function trustedProxies(list: string | undefined): TrustedProxies | undefined {
  const entries = (list ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (entries.length === 0) return undefined;
  const ranges = entries.map((entry) => {
    if (ipaddr.isValidCIDR(entry)) {
      const [range, bits] = ipaddr.parseCIDR(entry);
      return { range: range.kind() === "ipv6" ? parsed(range.toString()) : range, bits };
    }
    if (ipaddr.isValid(entry)) {
      const ip = parsed(entry);
      return { range: ip, bits: ip.kind() === "ipv4" ? 32 : 128 };
    }
    throw new Error(`GATEWAY_TRUSTED_PROXIES: "${entry}" is not an IP address or a CIDR range`);
  });
  return (address) => {
    if (!ipaddr.isValid(address)) return false;
    const ip = parsed(address);
    return ranges.some(({ range, bits }) => range.kind() === ip.kind() && ip.match(range, bits));
  };
}

/** The client's address: the socket's, or with trusted proxies, the right-most hop none of them is. */
export function clientAddress(
  socket: string | undefined,
  forwardedFor: string | null,
  trusted: TrustedProxies | undefined,
): string | undefined {
  if (!trusted || !socket || !forwardedFor || !trusted(socket)) return socket;
  const hops = forwardedFor
    .split(",")
    .map((hop) => hop.trim())
    .filter(Boolean);
  let client = socket;
  for (let i = hops.length - 1; i >= 0; i--) {
    // A hop that is not an address ends the chain: nothing left of it can be believed.
    if (!ipaddr.isValid(hops[i])) break;
    client = parsed(hops[i]).toString();
    if (!trusted(client)) break;
  }
  return client;
}
