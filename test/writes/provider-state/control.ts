/** A change through a simulator's control API (`POST /__sandbox/change/<action>`), as another process would make it. */
export async function control(baseUrl: string, action: string, body: unknown): Promise<any> {
  const response = await fetch(`${baseUrl}/__sandbox/change/${action}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`control ${action}: ${response.status} ${await response.text()}`);
  return response.json();
}

/** A call to a simulator's own API, as an agent's tool would make it; any answer but 2xx throws. */
export async function send(url: string, method: string, headers: Record<string, string>, body?: string): Promise<void> {
  const response = await fetch(url, { method, headers, ...(body === undefined ? {} : { body }) });
  if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${await response.text()}`);
}

/** Bodies of a method other than GET/HEAD: what most providers' writes are. */
export const notRead = (request: { method: string }): boolean => request.method !== 'GET' && request.method !== 'HEAD';

/** Three tags the live changes add and remove. */
export const TAG_POOL = ['np-red', 'np-green', 'np-blue'] as const;
