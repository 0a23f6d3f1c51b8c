/**
 * `gyre run -- <command>`: a tracked run around any program. The program gets GYRE_RUN_ID,
 * GYRE_URL, MLFLOW_TRACKING_URI and MLFLOW_RUN_ID, so the Gyre SDK and MLflow clients inside it log
 * to this run. Without a remote server, an embedded one listens on loopback for the command's
 * lifetime. Output is shown live and kept as the artifact `output.log`; the exit code decides
 * FINISHED or FAILED (KILLED for a signal), and becomes gyre's own exit code.
 */
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { resolveConfig } from '../core/config.js';
import { openServices } from '../services.js';
import { buildServer } from '../server/build-server.js';
import { connect } from '../sdk/gyre.js';
import { globalOptions } from './context.js';
import { TAG_SOURCE_NAME, TAG_SOURCE_TYPE } from '../tracking/entities.js';

interface RunOptions {
  experiment?: string;
  name?: string;
  tag?: string[];
}

function gitCommit(): string | null {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim() || null;
  } catch {
    return null;
  }
}

async function serverUrl(cmd: Command): Promise<{ url: string; stop: () => Promise<void> }> {
  const g = globalOptions(cmd);
  const config = resolveConfig({ ...(g.home ? { home: g.home } : {}), ...(g.url ? { remoteUrl: g.url } : {}) });
  if (config.remoteUrl) return { url: config.remoteUrl.replace(/\/+$/, ''), stop: async () => {} };
  const services = await openServices(config);
  const app = await buildServer({ services });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    url: address,
    stop: async () => {
      await app.close();
      await services.close();
    },
  };
}

export function registerRunCommand(program: Command): void {
  program
    .command('run')
    .description('run a command as a tracked run: `gyre run [options] -- python train.py --lr 0.1`')
    .option('-e, --experiment <name>', 'experiment name (created if missing)', 'Default')
    .option('-n, --name <run-name>', 'run name (default: generated)')
    .option('-t, --tag <key=value...>', 'tags to set on the run')
    .argument('<command...>', 'the program and its arguments (put them after --)')
    .action(async (argv: string[], opts: RunOptions, cmd: Command) => {
      const server = await serverUrl(cmd);
      const gyre = await connect({ url: server.url });
      let exitCode = 1;
      try {
        const tags: Record<string, string> = { [TAG_SOURCE_NAME]: argv.join(' '), [TAG_SOURCE_TYPE]: 'LOCAL' };
        const commit = gitCommit();
        if (commit) tags['mlflow.source.git.commit'] = commit;
        for (const kv of opts.tag ?? []) {
          const at = kv.indexOf('=');
          if (at <= 0) throw new Error(`--tag '${kv}' must look like key=value`);
          tags[kv.slice(0, at)] = kv.slice(at + 1);
        }
        const run = await gyre.startRun({ experiment: opts.experiment ?? 'Default', ...(opts.name ? { runName: opts.name } : {}), tags });
        process.stderr.write(`gyre: run ${run.id} in experiment ${run.experimentId} (${server.url})\n`);

        const logFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gyre-run-')), 'output.log');
        const log = fs.createWriteStream(logFile);
        const child = spawn(argv[0], argv.slice(1), {
          stdio: ['inherit', 'pipe', 'pipe'],
          env: {
            ...process.env,
            GYRE_RUN_ID: run.id,
            GYRE_URL: server.url,
            MLFLOW_TRACKING_URI: server.url,
            MLFLOW_RUN_ID: run.id,
            MLFLOW_EXPERIMENT_ID: run.experimentId,
          },
        });
        child.stdout.on('data', (chunk: Buffer) => (process.stdout.write(chunk), log.write(chunk)));
        child.stderr.on('data', (chunk: Buffer) => (process.stderr.write(chunk), log.write(chunk)));
        const forward = (signal: NodeJS.Signals) => child.kill(signal);
        process.on('SIGINT', forward);
        process.on('SIGTERM', forward);
        const { code, signal, error } = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>((resolve) => {
          child.on('error', (err) => resolve({ code: 127, signal: null, error: err }));
          child.on('close', (c, s) => resolve({ code: c, signal: s }));
        });
        process.off('SIGINT', forward);
        process.off('SIGTERM', forward);
        if (error) {
          const line = `gyre: could not start '${argv[0]}': ${error.message}\n`;
          process.stderr.write(line);
          log.write(line);
        }
        await new Promise<void>((resolve) => log.end(resolve));
        await run.logArtifact(logFile, 'output.log');
        fs.rmSync(path.dirname(logFile), { recursive: true, force: true });
        exitCode = signal ? 128 + (os.constants.signals[signal] ?? 0) : (code ?? 1);
        const status = signal ? 'KILLED' : exitCode === 0 ? 'FINISHED' : 'FAILED';
        await run.end(status);
        process.stderr.write(`gyre: run ${run.id} ${status} (exit ${exitCode})\n`);
      } finally {
        await gyre.close();
        await server.stop();
      }
      process.exitCode = exitCode;
    });
}
