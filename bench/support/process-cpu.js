/**
 * CPU time of every process on the machine, grouped by program (postgres, redis-server, node …),
 * from /proc: `const t0 = cpuByProgram(); …; cpuDelta(t0, cpuByProgram())` says where a run's CPU
 * went, including the database servers a benchmark talks to. Linux only; empty elsewhere.
 */
import fs from 'node:fs';
import os from 'node:os';

const TICK_MS = 1000 / 100; // USER_HZ is 100 on Linux

/** Milliseconds of CPU per program name, plus per pid for the pids named in `label`. */
export function cpuByProgram(label = new Map()) {
  const out = new Map();
  let entries = [];
  try {
    entries = fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return out;
  }
  for (const pid of entries) {
    let stat;
    try {
      stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue;
    }
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(stat.indexOf('(') + 1, close);
    const fields = stat.slice(close + 2).split(' ');
    const ms = (Number(fields[11]) + Number(fields[12])) * TICK_MS;
    const name = label.get(Number(pid)) ?? (comm.startsWith('postgres') ? 'postgres' : comm);
    out.set(name, (out.get(name) ?? 0) + ms);
  }
  return out;
}

/** Programs that used CPU between two snapshots, busiest first, in ms (processes that ended are not counted). */
export function cpuDelta(before, after, minMs = 20) {
  const rows = [];
  for (const [name, ms] of after) {
    const d = ms - (before.get(name) ?? 0);
    if (d >= minMs) rows.push([name, Math.round(d)]);
  }
  return Object.fromEntries(rows.sort((a, b) => b[1] - a[1]));
}

export const cores = () => os.cpus().length;
