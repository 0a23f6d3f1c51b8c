/**
 * Runs a shell step's command: `sh -c` in its own process group, so a timeout or cancellation
 * stops the command and everything it started, with its output captured for the step's log.
 */
import { spawn } from 'node:child_process';

const LOG_LIMIT = 8 * 1024 * 1024;

export interface CommandResult {
  exitCode: number | null;
  signal: string | null;
  log: string;
}

export function runShellCommand(cmd: string, cwd: string, env: NodeJS.ProcessEnv, signal: AbortSignal, onOutput?: (text: string) => void): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', cmd], { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    let dropped = 0;
    const take = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      onOutput?.(text);
      if (log.length < LOG_LIMIT) log += text;
      else dropped += text.length;
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    const kill = () => {
      try {
        process.kill(-child.pid!, 'SIGTERM');
        setTimeout(() => {
          try {
            process.kill(-child.pid!, 'SIGKILL');
          } catch {
            /* already gone */
          }
        }, 2000).unref();
      } catch {
        /* already gone */
      }
    };
    if (signal.aborted) kill();
    signal.addEventListener('abort', kill, { once: true });
    child.on('error', (err) => {
      signal.removeEventListener('abort', kill);
      reject(err);
    });
    child.on('close', (exitCode, sig) => {
      signal.removeEventListener('abort', kill);
      if (dropped) log += `\n[gyre: ${dropped} more characters of output were not kept]\n`;
      resolve({ exitCode, signal: sig, log });
    });
  });
}
