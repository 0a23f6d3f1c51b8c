/**
 * CPU time of every process on the machine, grouped by program (postgres, redis-server, node …),
 * from /proc: `const t0 = cpuByProgram(labels); …; cpuDelta(t0, cpuByProgram(labels))` says where a
 * run's CPU went, including the database servers a benchmark talks to. Deltas are taken per pid
 * (a kernel worker's name changes with its current job), then grouped by name. Linux only.
 */
import fs from 'node:fs';

const TICK_MS = 1000 / 100; // USER_HZ is 100 on Linux

/** pid → { name, ms }; `label` names chosen pids (the coordinator, each worker). */
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
    const name = label.get(Number(pid)) ?? (comm.startsWith('postgres') ? postgresRole(pid) : comm.startsWith('kworker') ? 'kernel workers' : comm);
    out.set(Number(pid), { name, ms, switches: contextSwitches(pid) });
  }
  return out;
}

/** `postgres` for backends serving clients, `postgres (background)` for its own processes (WAL writer, autovacuum …). */
function postgresRole(pid) {
  try {
    const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return /postgres: \S+ \S+ \d|127\.0\.0\.1|\[local\]/.test(cmd) ? 'postgres' : 'postgres (background)';
  } catch {
    return 'postgres';
  }
}

/** Times the process went to sleep and was woken (each a wake-up of it by a peer: on a VM, not free). */
function contextSwitches(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/voluntary_ctxt_switches:\s+(\d+)/.exec(status)?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** Wake-ups per program between two snapshots (see cpuDelta). */
export function switchesDelta(before, after, min = 50) {
  const byName = new Map();
  for (const [pid, { name, switches }] of after) byName.set(name, (byName.get(name) ?? 0) + switches - (before.get(pid)?.switches ?? 0));
  return Object.fromEntries([...byName].filter(([, n]) => n >= min).sort((a, b) => b[1] - a[1]));
}

/** CPU ms per program between two snapshots, busiest first (processes that ended are not counted). */
export function cpuDelta(before, after, minMs = 20) {
  const byName = new Map();
  for (const [pid, { name, ms }] of after) byName.set(name, (byName.get(name) ?? 0) + ms - (before.get(pid)?.ms ?? 0));
  return Object.fromEntries([...byName].filter(([, ms]) => ms >= minMs).map(([n, ms]) => [n, Math.round(ms)]).sort((a, b) => b[1] - a[1]));
}
