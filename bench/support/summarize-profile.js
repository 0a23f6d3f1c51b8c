/**
 * Summarises a V8 .cpuprofile (from `node --cpu-prof`, e.g. BENCH_SERVER_PROF=<dir>): self time by
 * function and by package/file, so "where does the server's time go" has a printed answer.
 * Usage: node bench/support/summarize-profile.js <file.cpuprofile> [topN]
 */
import fs from 'node:fs';

export function summarizeProfile(file, top = 25) {
  const prof = JSON.parse(fs.readFileSync(file, 'utf8'));
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const self = new Map();
  const dt = prof.timeDeltas;
  for (let i = 0; i < prof.samples.length; i++) self.set(prof.samples[i], (self.get(prof.samples[i]) ?? 0) + (dt[i] ?? 0));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const fnTime = new Map();
  const fileTime = new Map();
  for (const [id, us] of self) {
    const cf = byId.get(id).callFrame;
    const where = cf.url.replace(/^file:\/\//, '').replace(/.*node_modules\//, 'nm:').replace(/.*\/dist\//, 'dist/');
    const fn = `${cf.functionName || '(anonymous)'} ${where}:${cf.lineNumber + 1}`;
    fnTime.set(fn, (fnTime.get(fn) ?? 0) + us);
    const group = where.startsWith('nm:') ? where.split('/').slice(0, where.startsWith('nm:@') ? 2 : 1).join('/') : where || cf.functionName;
    fileTime.set(group, (fileTime.get(group) ?? 0) + us);
  }
  const pct = (us) => `${((us / total) * 100).toFixed(1)}%`;
  const sorted = (m) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, us]) => `${pct(us).padStart(6)}  ${k}`);
  return { totalMs: Math.round(total / 1000), functions: sorted(fnTime), groups: sorted(fileTime) };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop())) {
  const s = summarizeProfile(process.argv[2], Number(process.argv[3] ?? 25));
  console.log(`total sampled ${s.totalMs} ms\n--- by function (self) ---\n${s.functions.join('\n')}\n--- by file/package (self) ---\n${s.groups.join('\n')}`);
}
