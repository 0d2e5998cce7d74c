import { Pool } from 'undici';

/** One keep-alive pool per provider origin; a call is a GET whose JSON body is returned as parsed. */
export interface Upstream {
  get(path: string, query: Record<string, string | number | Array<string | number> | null | undefined>): Promise<any>;
  close(): Promise<void>;
}

export function createUpstream(baseUrl: string, headers: Record<string, string>): Upstream {
  const origin = new URL(baseUrl);
  const prefix = origin.pathname.replace(/\/+$/, '');
  const pool = new Pool(origin.origin, { keepAliveTimeout: 10_000 });
  return {
    async get(path, query) {
      const params = new URLSearchParams();
      for (const [key, value] of Object.entries(query)) {
        if (value === null || value === undefined) continue;
        for (const item of Array.isArray(value) ? value : [value]) params.append(key, String(item));
      }
      const search = params.toString();
      const response = await pool.request({ method: 'GET', path: `${prefix}${path}${search ? `?${search}` : ''}`, headers });
      const text = await response.body.text();
      if (response.statusCode === 404) return null;
      if (response.statusCode >= 400) throw new Error(`HTTP ${response.statusCode} from ${path}`);
      return JSON.parse(text);
    },
    close: () => pool.close(),
  };
}
