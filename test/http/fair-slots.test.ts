import { describe, expect, it } from 'vitest';
import { createFairSlots, QueueFull } from '../../src/http/fair-slots.js';

/** A task that runs until released by hand, recording when it started. */
function gate(started: string[], name: string) {
  let open!: () => void;
  const done = new Promise<void>((resolve) => (open = resolve));
  return { task: () => (started.push(name), done), open };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('fair slots', () => {
  it('takes callers in turn once the slots are full, each caller in its own arrival order', async () => {
    const slots = createFairSlots({ concurrency: 1, queue: 100 });
    const started: string[] = [];
    const first = gate(started, 'a0');
    const running = [slots.run('a', first.task)];
    const gates = ['a1', 'a2', 'a3', 'b1', 'b2', 'c1'].map((name) => gate(started, name));
    for (const g of gates) running.push(slots.run(g === gates[3] || g === gates[4] ? 'b' : g === gates[5] ? 'c' : 'a', g.task));
    expect(slots.queued).toBe(6);
    first.open();
    for (const g of gates) {
      await settle();
      g.open();
    }
    await Promise.all(running);
    expect(started).toEqual(['a0', 'a1', 'b1', 'c1', 'a2', 'b2', 'a3']);
    expect([slots.active, slots.queued]).toEqual([0, 0]);
  });

  it("refuses a caller past its share of the line, while others still get in", async () => {
    const slots = createFairSlots({ concurrency: 1, queue: 10, queuePerCaller: 2 });
    const started: string[] = [];
    const hold = gate(started, 'hold');
    const all = [slots.run('a', hold.task), slots.run('a', async () => undefined), slots.run('a', async () => undefined)];
    await expect(slots.run('a', async () => undefined)).rejects.toBeInstanceOf(QueueFull);
    all.push(slots.run('b', async () => undefined));
    expect(slots.queued).toBe(3);
    hold.open();
    await Promise.all(all);
  });

  it('drops a waiting call whose signal fires, and the line moves on', async () => {
    const slots = createFairSlots({ concurrency: 1, queue: 10 });
    const started: string[] = [];
    const hold = gate(started, 'hold');
    const running = slots.run('a', hold.task);
    const leave = new AbortController();
    const gone = slots.run('b', async () => started.push('gone'), leave.signal);
    leave.abort(new Error('client left'));
    await expect(gone).rejects.toThrow('client left');
    expect(slots.queued).toBe(0);
    hold.open();
    await running;
    await slots.run('c', async () => started.push('next'));
    expect(started).toEqual(['hold', 'next']);
  });
});
