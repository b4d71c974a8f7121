import { describe, expect, it } from 'vitest';
import { CpuTracker, SELF_PROCESS, cpuSeconds } from './cpu.js';

/** Burns at least `ms` of this process's CPU (CPU, not wall time: the machine may be loaded). */
function burn(ms: number): void {
  const start = process.cpuUsage();
  let x = 0;
  for (;;) {
    for (let i = 0; i < 10_000; i++) x += Math.sqrt(x + i);
    const used = process.cpuUsage(start);
    if ((used.user + used.system) / 1000 >= ms) break;
  }
  expect(x).toBeGreaterThan(0);
}

describe('CpuTracker', () => {
  const pid = process.pid;

  it('counts a process known before the phase from its CPU at the phase start', async () => {
    const tracker = new CpuTracker(async () => new Map([['svc', [pid]]]));
    await tracker.sample();
    burn(50);
    await tracker.begin();
    burn(200);
    const used = await tracker.end();
    expect(used.svc).toBeGreaterThan(0.1);
    // Not what it used before the phase: far below this process's whole CPU.
    expect(used.svc!).toBeLessThan(cpuSeconds(pid)! - 0.04);
    expect(used[SELF_PROCESS]).toBeGreaterThan(0.1);
  });

  it('counts a process first seen during a phase from zero (born in it)', async () => {
    let listed = false;
    const tracker = new CpuTracker(async () => new Map(listed ? [['newcomer', [pid]]] : []));
    await tracker.begin();
    listed = true;
    burn(20);
    const used = await tracker.end();
    // Everything the "newcomer" ever used counts: this test process's whole CPU so far.
    expect(used.newcomer).toBeGreaterThan(cpuSeconds(pid)! - 0.05);
  });

  it('keeps the CPU of a process gone before the phase ended, as last sampled', async () => {
    let listed = true;
    const tracker = new CpuTracker(async () => new Map(listed ? [['leaver', [pid]]] : []));
    await tracker.begin();
    burn(150);
    await tracker.sample();
    listed = false;
    const used = await tracker.end();
    expect(used.leaver).toBeGreaterThan(0.1);
  });
});
