/**
 * Elysia's options for every app of ours. Its default path extraction skips the URL's first 11
 * characters, assuming a host of at least four ("http://a.bc"): with `Host: gw` (a container service
 * name) it read the wrong path, so /healthz answered the UI page and /v1 answered 404. Without that
 * shortcut it starts after "http://", right for any host (our servers never see https URLs: TLS, when
 * there is any, ends at a proxy in front).
 */
export const ELYSIA_OPTIONS = { handler: { standardHostname: false } } as const;
