/**
 * wrk (Debian's `wrk`) as the load generator when it is installed: a C client costs far less CPU
 * than a Node one, which matters when client and server share this machine's two cores.
 * Closed loop over `connections` keep-alive connections, one thread.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function hasWrk() {
  return spawnSync('wrk', ['--version']).error === undefined;
}

const MS = { us: 0.001, ms: 1, s: 1000 };
const toMs = (text) => {
  const m = /^([\d.]+)(us|ms|s)$/.exec(text.trim());
  return m ? Number(m[1]) * MS[m[2]] : null;
};

export function wrkLoad(port, urlPath, body, { connections, secs }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gyre-wrk-'));
  const script = path.join(dir, 'post.lua');
  fs.writeFileSync(script, `wrk.method = "POST"\nwrk.body = ${JSON.stringify(body)}\nwrk.headers["Content-Type"] = "application/json"\n`);
  try {
    const out = execFileSync('wrk', ['-t1', `-c${connections}`, `-d${secs}s`, '--latency', '-s', script, `http://127.0.0.1:${port}${urlPath}`], { encoding: 'utf8' });
    const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
    const pct = (p) => toMs(new RegExp(`\\s${p}%\\s+(\\S+)`).exec(out)?.[1] ?? '');
    const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0);
    return { requests_per_s: Math.round(rps), latency_ms: { p50: pct(50), p90: pct(90), p99: pct(99) }, errors: non2xx, connections };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
