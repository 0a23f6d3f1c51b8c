/**
 * Runs the Gyre tracking server (embedded SQLite store) in a child process, so the load generator
 * in the parent never shares a CPU thread with it. The same file is the child's entry point (run
 * via child_process.fork) and the parent's helper (`startServer`).
 *
 * Child: node start-server.js <home> [--serve] → opens services on <home> (and with --serve loads
 * and serves its deployments), listens on 127.0.0.1:0 and sends
 * {port} over IPC; on the 'close' message (or a lost parent) it closes cleanly and exits.
 * Set BENCH_SERVER_PROF=<dir> to run the child under `--cpu-prof` and write its profile there.
 */
import { fork } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';

const SELF = fileURLToPath(import.meta.url);

/** Forks the server on `home`; resolves once it listens. */
export async function startServer(home, { profileDir = process.env.BENCH_SERVER_PROF, serve = false } = {}) {
  const execArgv = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const child = fork(SELF, [home, ...(serve ? ['--serve'] : [])], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const port = await new Promise((resolve, reject) => {
    child.once('message', (m) => (m && m.port ? resolve(m.port) : reject(new Error(`server failed: ${JSON.stringify(m)}`))));
    child.once('exit', (code) => reject(new Error(`server exited with code ${code} before listening`)));
  });
  let seq = 0;
  return {
    port,
    pid: child.pid,
    /**
     * The server process's counters, read over IPC: cumulative CPU ms (user + system) and event
     * loop utilisation (idle/active ms), and the server-side durations of the requests finished
     * since the previous call; see withCpuAccounting in stats.js.
     */
    usage: () =>
      new Promise((resolve) => {
        const id = ++seq;
        const onMessage = (m) => {
          if (m && m.usageId === id) {
            child.off('message', onMessage);
            resolve({ at: performance.now(), cpuMs: (m.cpu.user + m.cpu.system) / 1000, elu: m.elu, serverMs: m.serverMs });
          }
        };
        child.on('message', onMessage);
        child.send({ cmd: 'usage', id });
      }),
    /** Asks the server to close its store and exit; waits for the exit. */
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.send({ cmd: 'close' });
      }),
  };
}

async function runChild(home, serve) {
  const { openServices } = await import('../../dist/services.js');
  const { buildServer } = await import('../../dist/server/build-server.js');
  const services = await openServices({ home, databaseUrl: 'sqlite:', artifactsUrl: 'file:' });
  const app = await buildServer({ services });
  // Server-side time of each request (routing → response written), to tell queueing in the
  // server apart from time on the wire or in the client.
  let serverMs = [];
  app.addHook('onRequest', async (req) => {
    req.benchStart = performance.now();
  });
  app.addHook('onResponse', async (req) => {
    serverMs.push(performance.now() - req.benchStart);
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  // --serve: load and serve the deployments, as `gyre server` does.
  if (serve) await services.serving.start({ pollMs: 1000 }).sync();
  let closing = false;
  const close = async () => {
    if (closing) return;
    closing = true;
    await app.close();
    await services.close();
    process.exit(0); // exit() lets --cpu-prof write its profile
  };
  process.on('message', (m) => {
    if (m && m.cmd === 'close') void close();
    if (m && m.cmd === 'usage') {
      process.send({ usageId: m.id, cpu: process.cpuUsage(), elu: performance.eventLoopUtilization(), serverMs });
      serverMs = [];
    }
  });
  process.on('disconnect', () => void close());
  process.send({ port: app.server.address().port });
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  runChild(process.argv[2], process.argv.includes('--serve')).catch((err) => {
    process.send?.({ error: String(err?.stack ?? err) });
    process.exit(1);
  });
}
