/**
 * Configuration: flags override environment variables, which override defaults (DESIGN.md §4).
 * Resolved once in the composition root and passed down; nothing reads process.env elsewhere.
 */
import path from 'node:path';

export interface GyreConfig {
  /** Folder of the embedded stores (`.gyre` in the working directory by default). */
  home: string;
  /** `sqlite:` (default, `<home>/gyre.db`), `sqlite:/path/file.db`, or `postgres://…[?schema=NAME]`. */
  databaseUrl: string;
  /** `file:` (default, `<home>/artifacts`) or `file:/path`. */
  artifactsUrl: string;
  /** When set, SDK and CLI talk to this server instead of the local stores. */
  remoteUrl: string | null;
  token: string | null;
}

export interface ConfigOverrides {
  home?: string;
  databaseUrl?: string;
  artifactsUrl?: string;
  remoteUrl?: string | null;
}

export function resolveConfig(overrides: ConfigOverrides = {}, env: NodeJS.ProcessEnv = process.env): GyreConfig {
  const home = path.resolve(overrides.home ?? env.GYRE_HOME ?? '.gyre');
  return {
    home,
    databaseUrl: overrides.databaseUrl ?? env.GYRE_DATABASE_URL ?? 'sqlite:',
    artifactsUrl: overrides.artifactsUrl ?? env.GYRE_ARTIFACTS_URL ?? 'file:',
    remoteUrl: overrides.remoteUrl !== undefined ? overrides.remoteUrl : (env.GYRE_URL ?? null),
    token: env.GYRE_TOKEN ?? null,
  };
}
