import { createCarrotQuest } from './carrotquest.js';
import { createChatwoot } from './chatwoot.js';
import { createReamaze } from './reamaze.js';
import { createIntercom } from './intercom.js';

/**
 * The baseline's hand-written source of each provider, by the `provider` of a config
 * source. The baseline imports nothing from src/: it is the comparison, not the thing compared.
 */
export const BASELINE_SOURCES = {
  carrotquest: createCarrotQuest,
  chatwoot: createChatwoot,
  reamaze: createReamaze,
  intercom: createIntercom,
} as const;

export type BaselineSource = ReturnType<(typeof BASELINE_SOURCES)[keyof typeof BASELINE_SOURCES]>;
