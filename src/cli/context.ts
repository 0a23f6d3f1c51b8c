/** Shared CLI plumbing: global options → SDK connection, and one way to report errors. */
import type { Command } from 'commander';
import { connect } from '../sdk/gyre.js';
import type { Gyre } from '../sdk/gyre.js';
import { isGyreError } from '../core/errors.js';
import os from 'node:os';
import type { Actor } from '../core/actor.js';

export interface GlobalOptions {
  home?: string;
  url?: string;
}

export function globalOptions(cmd: Command): GlobalOptions {
  return cmd.optsWithGlobals() as GlobalOptions;
}

/** Connects per the global options, runs `fn`, and always closes the connection. */
export async function withGyre<T>(cmd: Command, fn: (gyre: Gyre) => Promise<T>): Promise<T> {
  const opts = globalOptions(cmd);
  const gyre = await connect({ ...(opts.home ? { home: opts.home } : {}), ...(opts.url ? { url: opts.url } : {}) });
  try {
    return await fn(gyre);
  } finally {
    await gyre.close();
  }
}

/** Who acts from the CLI: GYRE_USER, else the OS user (no authentication yet; docs/registry.md). */
export function cliActor(reason?: string): Actor {
  return { user: process.env.GYRE_USER || os.userInfo().username, reason: reason ?? null };
}

export function reportError(err: unknown): number {
  if (isGyreError(err)) {
    process.stderr.write(`error (${err.code}): ${err.message}\n`);
    return err.code === 'INTERNAL' ? 70 : 1;
  }
  process.stderr.write(`error: ${(err as Error)?.stack ?? String(err)}\n`);
  return 70;
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
