/** Who is signed in: loaded at start and after login; cleared when the server says the session ended. */
import { createSignal } from "solid-js";
import type { Me } from "./api.ts";
import { call, whenUnauthorized } from "./api.ts";

export type { Me };

const [me, setMe] = createSignal<Me | null | undefined>(undefined);
const [setupRequired, setSetupRequired] = createSignal(false);

export { me, setupRequired };

export async function refreshSession(): Promise<void> {
  const state = await call("GET /api/auth/state").catch(() => ({ setupRequired: false }));
  setSetupRequired(state.setupRequired);
  if (state.setupRequired) return void setMe(null);
  setMe(await call("GET /api/auth/me").catch(() => null));
}

export function signedIn(user: Me): void {
  setSetupRequired(false);
  setMe(user);
}

export function signedOut(): void {
  setMe(null);
}

whenUnauthorized(() => setMe(null));

/** The signed-in admin's role is read-only: pages disable their changes and say why (the server refuses them). */
export const readOnly = () => me()?.role === "viewer";
