/**
 * One cancellation poll per pipeline run in a worker process, shared by every step of that run it
 * is executing (a poll per step would be a database read per step). The watch of a run lives while
 * it has steps here and a little after, so a fan-out's steps arriving one after another share it.
 */
import { setMaxListeners } from 'node:events';
import type { PipelineStore } from '../pipeline-store.js';

const POLL_MS = 500;
const LINGER_MS = 2_000;

interface Watched {
  controller: AbortController;
  users: number;
  timer: NodeJS.Timeout;
  idleSince: number | null;
}

export class CancelWatch {
  private readonly runs = new Map<string, Watched>();

  constructor(private readonly store: Pick<PipelineStore, 'isCancelRequested'>) {}

  /** The run's cancellation signal, until release(). */
  watch(runId: string): { signal: AbortSignal; release(): void } {
    let w = this.runs.get(runId);
    if (!w) {
      const controller = new AbortController();
      // Every step of the run running here listens to this one signal: more than Node's default of 10.
      setMaxListeners(0, controller.signal);
      const timer = setInterval(() => this.poll(runId), POLL_MS);
      timer.unref();
      w = { controller, users: 0, timer, idleSince: null };
      this.runs.set(runId, w);
    }
    w.users++;
    w.idleSince = null;
    const watched = w;
    let released = false;
    return {
      signal: watched.controller.signal,
      release: () => {
        if (released) return;
        released = true;
        if (--watched.users === 0) watched.idleSince = Date.now();
      },
    };
  }

  close(): void {
    for (const w of this.runs.values()) clearInterval(w.timer);
    this.runs.clear();
  }

  private poll(runId: string): void {
    const w = this.runs.get(runId);
    if (!w) return;
    if (w.idleSince !== null && Date.now() - w.idleSince >= LINGER_MS) {
      clearInterval(w.timer);
      this.runs.delete(runId);
      return;
    }
    if (w.users === 0) return;
    this.store.isCancelRequested(runId).then((yes) => yes && w.controller.abort(), () => {});
  }
}
