import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'undici';
import { answerLabel, createTally, type Tally } from './tally.js';

export interface LoopRequest {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface Looping {
  /** Stops the clients, closes their connections and returns what they got back. */
  stop(): Promise<Tally>;
}

/**
 * `clients` callers, each sending `request` again as soon as its last answer arrived
 * (closed loop, as an attacker with that many connections would), on a pool of their own.
 */
export function loopClients(url: string, clients: number, request: LoopRequest): Looping {
  const pool = new Pool(url, { connections: clients, headersTimeout: 30_000, bodyTimeout: 30_000 });
  const tally = createTally();
  let running = true;
  const worker = async () => {
    while (running) {
      try {
        const response = await pool.request(request);
        tally.add(answerLabel(response.statusCode, await response.body.text()));
      } catch {
        if (!running) return;
        tally.add('no answer');
        // A refused or reset connection must not turn into a busy loop here.
        await sleep(50);
      }
    }
  };
  const workers = Array.from({ length: clients }, worker);
  return {
    async stop() {
      running = false;
      await pool.destroy();
      await Promise.allSettled(workers);
      return tally;
    },
  };
}
