import type { IncomingMessage } from 'node:http';
import { corsHeaders, type CorsPolicy } from './cors.js';

/**
 * The headers of an answer given without Yoga (front door refusals, admission's 503): the
 * security headers every answer carries, and CORS for an allowed origin, so that a page
 * allowed to call Parley can also read why it was refused.
 */
export function createAnswerHeaders(
  security: Readonly<Record<string, string>>,
  cors: CorsPolicy | undefined,
): (req: IncomingMessage) => Record<string, string> {
  return (req) => {
    const origin = req.headers.origin;
    const allowed = corsHeaders(cors, origin === undefined ? null : origin, false);
    return allowed ? { ...security, ...allowed } : { ...security };
  };
}
