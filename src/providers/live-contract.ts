/**
 * How a source tells Parley that conversations changed. Pushes are hints, never data to
 * trust: the live pipeline (`src/live/`) re-reads each hinted conversation through the
 * source's ordinary read methods and derives events by comparing it with what it saw last,
 * so a forged, duplicated, reordered or lost push can neither invent nor double an event,
 * and the periodic sweep catches what push lost.
 */

/** "This conversation may have changed": from a webhook, a realtime feed, a poll or the sweep. */
export interface ChangeHint {
  /** Native conversation id. */
  readonly conversationId: string;
  /** The provider's own version of the change (epoch ms of its update time), when the push carries one. */
  readonly version?: number;
}

/** What a webhook delivery is, once its signature and freshness are checked. */
export type WebhookVerdict =
  | { readonly ok: true; readonly deliveryId: string; readonly hints: readonly ChangeHint[] }
  | {
      readonly ok: false;
      /** `UNSIGNED`, `BAD_SIGNATURE`, `STALE` (outside the replay window), `MALFORMED` (not the provider's shape). */
      readonly reason: 'UNSIGNED' | 'BAD_SIGNATURE' | 'STALE' | 'MALFORMED';
    };

export interface WebhookDelivery {
  /** Lower-cased header names. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** The body exactly as received: signatures are over these bytes. */
  readonly rawBody: Buffer;
  /** Epoch ms now, for the replay window. */
  readonly now: number;
}

/** A realtime feed the source holds open (one per source across replicas, under a lease). */
export interface FeedConsumer {
  /**
   * Runs until `signal` fires, calling `onHints` per message; resumes after a reconnect
   * from `resumeFrom` (the position it last reported through `onPosition`), as the
   * provider allows. Rejects only on a failure it cannot recover from (bad credentials).
   */
  run(options: {
    resumeFrom: string | null;
    onHints: (hints: readonly ChangeHint[]) => Promise<void>;
    onPosition: (position: string) => Promise<void>;
    signal: AbortSignal;
  }): Promise<void>;
}

/** One source's push channels; the sweep (re-reading conversations updated since the last one) needs none. */
export interface SourceLive {
  /** Checks one delivery to `POST /webhooks/<sourceId>` (signature, freshness, shape). */
  readonly webhook?: { verify(delivery: WebhookDelivery): WebhookVerdict };
  readonly feed?: FeedConsumer;
  /** Seconds between sweeps when the source has no push at all (poll-only providers). */
  readonly pollSeconds?: number;
}
