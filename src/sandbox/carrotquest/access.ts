import type { RouteHandler, SimRequest, SimResponse } from '../kit/simulator-server.js';
import { authenticationFailed, badRequest, methodNotAllowed, notAuthenticated, notFound, permissionDenied } from './errors.js';
import { renderJson, type WireValue } from './json.js';
import { ParamError, readBool, readParams } from './params.js';

/**
 * What every endpoint does before its own work: authenticate (providers.md 1.1), pick
 * the API version, resolve `$self_app`, and answer in the `{meta, data}` envelope.
 */

export interface Call {
  params: URLSearchParams;
  /** The app the token belongs to. */
  appId: string;
  version: 1 | 2;
  idAsString: boolean;
}

/** token -> the app it belongs to. */
export type Tokens = ReadonlyMap<string, string>;

const AUTH_HEADER = /^(?:Token|Bearer)\s+(\S+)\s*$/i;

/**
 * Wraps an endpoint: auth first (401 before any 400), then the method (reads take GET and
 * POST, both carrying parameters; writes name theirs; others are 405), then the handler.
 * A `ParamError` becomes 400 BadRequest.
 */
export function endpoint(
  tokens: Tokens,
  versionPrefix: 1 | 2 | null,
  handle: (call: Call, request: SimRequest) => SimResponse,
  methods: readonly string[] = ['GET', 'POST'],
): RouteHandler {
  return (request) => {
    try {
      const params = readParams(request);
      const appId = authenticate(request, params, tokens);
      if (typeof appId !== 'string') return appId;
      if (!methods.includes(request.method)) return methodNotAllowed(request.method);
      return handle({ params, appId, version: versionPrefix ?? readVersion(params), idAsString: readBool(params, 'id_as_string') ?? false }, request);
    } catch (error) {
      if (error instanceof ParamError) return badRequest(error.message);
      throw error;
    }
  };
}

/** `Authorization: Token|Bearer <t>`, else the `auth_token` parameter. */
function authenticate(request: SimRequest, params: URLSearchParams, tokens: Tokens): string | SimResponse {
  const header = request.headers.authorization;
  const token = (header ? AUTH_HEADER.exec(header)?.[1] : undefined) ?? params.get('auth_token') ?? undefined;
  if (token === undefined || token === '') return notAuthenticated();
  return tokens.get(token) ?? authenticationFailed();
}

/** `version=1|2` when the path has no `/v1` or `/v2` prefix; 2 is the current default (providers.md 1.1). */
function readVersion(params: URLSearchParams): 1 | 2 {
  const value = params.get('version');
  if (value === null || value === '2') return 2;
  if (value === '1') return 1;
  throw new ParamError('version: must be 1 or 2');
}

/**
 * The `{app}` path segment: the token's own app id or `$self_app`. Another numeric app is
 * not this token's to read (403); anything else names no app (404).
 */
export function resolveApp(segment: string | undefined, call: Call): SimResponse | undefined {
  const app = segment ?? '';
  if (app === '$self_app' || app === call.appId) return undefined;
  return /^\d+$/.test(app) ? permissionDenied() : notFound();
}

/** A success in the envelope; `meta` keys come first, then `status` (as the doc example). */
export function ok(call: Call, data: WireValue, meta: Record<string, WireValue | undefined> = {}): SimResponse {
  return {
    status: 200,
    body: renderJson({ meta: { ...meta, status: 200 }, data }, call.idAsString),
    headers: { 'content-type': 'application/json' },
  };
}
