/** The git commit (and whether the work tree has uncommitted changes) of a folder, when git knows it. */
import { execFileSync } from 'node:child_process';

export function codeVersionOf(dir: string = process.cwd()): { gitCommit: string; dirty: boolean } | null {
  try {
    const opts = { cwd: dir, stdio: ['ignore', 'pipe', 'ignore'] as ['ignore', 'pipe', 'ignore'], encoding: 'utf8' as const, timeout: 5000 };
    const gitCommit = execFileSync('git', ['rev-parse', 'HEAD'], opts).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], opts).trim() !== '';
    return /^[0-9a-f]{40}$/.test(gitCommit) ? { gitCommit, dirty } : null;
  } catch {
    // Not a repository, or no git: lineage simply has no code version.
    return null;
  }
}
