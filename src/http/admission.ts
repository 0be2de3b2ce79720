/**
 * Who may start a request: at most `maxInFlight` requests open in the whole process (503 past it, so
 * the gateway sheds load before it runs out of descriptors) and at most `maxRequestsPerClient` from one
 * address (429 past it, so one client cannot take every place). A request holds its place from its
 * arrival to the end of its response, streams included.
 */
import { GatewayError } from "../errors.ts";

/** The caps in force for one request (from the live config; 0 turns a cap off). */
interface AdmissionCaps {
  maxInFlight: number;
  maxRequestsPerClient: number;
}

/** Sent with a refusal: these places free up as soon as a held request ends. */
const RETRY_AFTER_MS = 1000;

export class Admission {
  private inFlight = 0;
  private readonly perClient = new Map<string, number>();

  /** Requests holding a place now. */
  get open(): number {
    return this.inFlight;
  }

  /**
   * Takes a place for a request from `ip`, or returns the refusal to answer with. `exempt` (asked only
   * when a cap is reached) lets through what must answer even then: a bodiless `/healthz`.
   */
  admit(ip: string | undefined, caps: AdmissionCaps, exempt: () => boolean): GatewayError | undefined {
    const fromClient = ip === undefined ? 0 : (this.perClient.get(ip) ?? 0);
    if (caps.maxInFlight > 0 && this.inFlight >= caps.maxInFlight && !exempt()) {
      return new GatewayError(
        "overloaded",
        `The gateway is at its limit of ${caps.maxInFlight} requests in flight (limits.maxInFlight); try again shortly.`,
        { retryAfterMs: RETRY_AFTER_MS },
      );
    }
    if (caps.maxRequestsPerClient > 0 && fromClient >= caps.maxRequestsPerClient && !exempt()) {
      return new GatewayError(
        "rate_limited",
        `This address already has ${caps.maxRequestsPerClient} requests open (limits.maxRequestsPerClient); try again when one ends.`,
        { retryAfterMs: RETRY_AFTER_MS },
      );
    }
    this.inFlight++;
    if (ip !== undefined) this.perClient.set(ip, fromClient + 1);
    return undefined;
  }

  /** Gives back the place `admit` took for `ip`. */
  release(ip: string | undefined): void {
    this.inFlight--;
    if (ip === undefined) return;
    const left = (this.perClient.get(ip) ?? 1) - 1;
    if (left > 0) this.perClient.set(ip, left);
    else this.perClient.delete(ip); // an address with nothing open takes no memory
  }
}
