/**
 * Definition-time check that a shell step's programs exist, so a typo in `cmd` fails before the
 * pipeline starts (naming the step) rather than minutes later on a worker.
 */
import fs from 'node:fs';
import path from 'node:path';
import { invalidArgument } from '../core/errors.js';

// Shell words that are not files on PATH.
const SHELL_BUILTINS = new Set([
  'cd', 'echo', 'exit', 'export', 'set', 'unset', 'test', '[', '[[', 'true', 'false', ':', '.', 'source', 'eval', 'exec',
  'if', 'then', 'else', 'elif', 'fi', 'for', 'while', 'until', 'do', 'done', 'case', 'esac', 'printf', 'read', 'pwd',
  'sleep', 'wait', 'trap', 'umask', 'shift', 'return', 'local', 'type', 'command', 'builtin', '{', '}', '(', ')', '!', 'time',
]);

function isExecutableFile(p: string): boolean {
  try {
    const st = fs.statSync(p);
    if (!st.isFile()) return false;
    fs.accessSync(p, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name: string, envPath: string): boolean {
  return envPath.split(path.delimiter).some((dir) => dir && isExecutableFile(path.join(dir, name)));
}

/** The program word of each simple command in `cmd` (split on `&&`, `||`, `;`, `|`, newlines). */
export function programsOf(cmd: string): string[] {
  const out: string[] = [];
  for (const segment of cmd.split(/&&|\|\||[;|\n]/)) {
    const words = segment.trim().split(/\s+/).filter(Boolean);
    // Skip leading VAR=value assignments and a subshell's opening parenthesis.
    const word = words.find((w) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(w) && w !== '(');
    if (word) out.push(word.replace(/^\(+/, ''));
  }
  return out;
}

export function checkCommandExists(step: string, cmd: string, cwd: string, envPath = process.env.PATH ?? ''): void {
  if (!cmd.trim()) throw invalidArgument(`Step '${step}' has an empty cmd. Give the shell command it runs.`, { step });
  for (const program of programsOf(cmd)) {
    // Expansions and quoting are the shell's business: only plain words can be checked here.
    if (!program || /[$`'"*?]/.test(program) || SHELL_BUILTINS.has(program)) continue;
    const found = program.includes('/') ? isExecutableFile(path.resolve(cwd, program)) : onPath(program, envPath);
    if (!found) {
      const where = program.includes('/') ? `no executable file ${path.resolve(cwd, program)}` : 'not found on PATH';
      throw invalidArgument(`Step '${step}': the command '${program}' does not exist (${where}). Fix the cmd, install the program, or make the script executable (chmod +x).`, { step, program });
    }
  }
}
