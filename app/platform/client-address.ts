/**
 * The client's network address, as the HTTP server determined it from the connection and
 * the trusted proxies' X-Forwarded-For entries (TRUSTED_PROXY_HOPS). The server sets this
 * header on every request it hands to the app and replaces any value a client sent, so
 * routes never parse X-Forwarded-For themselves (its leftmost entry is the client's choice).
 */
export const CLIENT_ADDRESS_HEADER = "x-comeback-client-address";

export function clientAddress(request: Request): string {
  return request.headers.get(CLIENT_ADDRESS_HEADER) || "unknown";
}
