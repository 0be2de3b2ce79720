/** Who is signed in: loaded at start and after login; cleared when the server says the session ended. */
import { createSignal } from "solid-js";
import { get, whenUnauthorized } from "./api.ts";

export interface Me {
  username: string;
  totpEnabled: boolean;
  mustEnrol: boolean;
  sessionExpiresAt: number;
}

const [me, setMe] = createSignal<Me | null | undefined>(undefined);
const [setupRequired, setSetupRequired] = createSignal(false);

export { me, setupRequired };

export async function refreshSession(): Promise<void> {
  const state = await get<{ setupRequired: boolean }>("/api/auth/state").catch(() => ({ setupRequired: false }));
  setSetupRequired(state.setupRequired);
  if (state.setupRequired) return void setMe(null);
  setMe(await get<Me>("/api/auth/me").catch(() => null));
}

export function signedIn(user: Me): void {
  setSetupRequired(false);
  setMe(user);
}

export function signedOut(): void {
  setMe(null);
}

whenUnauthorized(() => setMe(null));
