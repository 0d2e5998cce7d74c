import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/sandbox/kit/simulator-server.js';

// A one-route provider: POST /notes stores a note, GET /notes lists them.
const notes: unknown[] = [];
let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({
    name: 'notes',
    routes: [
      { method: 'POST', path: '/notes', handler: (request) => (notes.push(request.body), { status: 201, body: { id: notes.length } }) },
      { method: 'GET', path: '/notes', handler: () => ({ status: 200, body: notes }) },
    ],
    errors: {
      serverError: (status) => ({ status, body: { error: 'boom' } }),
      rateLimited: () => ({ status: 429, body: { error: 'slow down' } }),
      notFound: () => ({ status: 404, body: { error: 'not found' } }),
    },
  });
});
beforeEach(() => {
  notes.length = 0;
  sim.clearFaults();
  sim.resetRequests();
});
afterAll(() => sim.close());

const post = (body: string, type = 'application/json') => fetch(`${sim.url}/notes`, { method: 'POST', body, headers: { 'content-type': type } });

describe('faults after commit: the write is stored, its answer is lost', () => {
  it('a 502 after commit stores the write and records what it committed', async () => {
    sim.addFault({ kind: 'error', status: 502, method: 'POST', afterCommit: true, count: 1 });
    expect((await post('{"text":"a"}')).status).toBe(502);
    expect(notes).toEqual([{ text: 'a' }]);
    expect(sim.requests()).toEqual([expect.objectContaining({ method: 'POST', status: 502, committed: 201 })]);
  });

  it('a reset after commit stores the write; a plain reset does not', async () => {
    sim.addFault({ kind: 'reset', method: 'POST', afterCommit: true, count: 1 });
    await expect(post('{"text":"kept"}')).rejects.toThrow();
    sim.addFault({ kind: 'reset', method: 'POST', count: 1 });
    await expect(post('{"text":"lost"}')).rejects.toThrow();
    expect(notes).toEqual([{ text: 'kept' }]);
  });

  it('a rule for POST spares reads', async () => {
    sim.addFault({ kind: 'error', status: 500, method: 'POST', count: 1 });
    expect((await fetch(`${sim.url}/notes`)).status).toBe(200);
    expect((await post('{}')).status).toBe(500);
  });

  it('form bodies reach the route as fields', async () => {
    await post('body=hi+there&random_id=7', 'application/x-www-form-urlencoded');
    expect(notes).toHaveLength(1);
    expect(Object.fromEntries(notes[0] as URLSearchParams)).toEqual({ body: 'hi there', random_id: '7' });
  });

  it('refuses afterCommit on a fault that has no answer to lose', () => {
    expect(() => sim.addFault({ kind: 'rateLimit', afterCommit: true, count: 1 })).toThrow(/afterCommit/);
  });
});
