import type { SimRequest, SimResponse } from '../kit/simulator-server.js';
import type { RateLimiter } from './rate-limit.js';
import type { IntercomReadings } from './readings.js';
import type { IntercomStore } from './store.js';

export interface RouteContext {
  store: IntercomStore;
  readings: IntercomReadings;
  rateLimiter: RateLimiter;
  /** token -> the workspace it opens. */
  tokens: ReadonlyMap<string, string>;
  /** The workspace the store holds; other workspaces' tokens see an empty one. */
  workspaceId: string;
}

/** An endpoint behind the guard; `own` is whether the token opens the store's workspace. */
export type RouteHandlerOf = (request: SimRequest, own: boolean) => SimResponse;
