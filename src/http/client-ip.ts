/**
 * The client address of a request. The server adapter records it (it alone knows the socket); the
 * app reads it. A WeakMap, so nothing outlives its request.
 */
const addresses = new WeakMap<Request, string>();

export function rememberClientIp(request: Request, ip: string | undefined): void {
  if (ip) addresses.set(request, ip);
}

export function clientIpOf(request: Request): string | undefined {
  return addresses.get(request);
}
