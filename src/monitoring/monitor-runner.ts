/**
 * Runs due monitors on a schedule inside `gyre server`. The clock is injected: live servers use
 * Date.now; a replay passes a simulated clock (or calls `tick()` / `MonitoringService.runDue(now)`
 * itself) and the windows follow the records' timestamps either way. One tick at a time: a slow
 * evaluation delays the next tick rather than overlapping it.
 */
import type { MonitoringService, MonitorRunReport } from './monitoring-service.js';

export interface MonitorRunnerOptions {
  /** How often to look for due monitors, in real milliseconds (default 10 s). */
  intervalMs?: number;
  /** The time monitors are evaluated at (default Date.now). */
  clock?: () => number;
  onError?: (err: unknown) => void;
}

export class MonitorRunner {
  private timer: NodeJS.Timeout | null = null;
  private current: Promise<MonitorRunReport[]> | null = null;
  private readonly clock: () => number;

  constructor(
    private readonly monitoring: MonitoringService,
    private readonly options: MonitorRunnerOptions = {},
  ) {
    this.clock = options.clock ?? Date.now;
  }

  /** Evaluates what is due at the clock's time now; waits for a tick already running instead of starting another. */
  async tick(): Promise<MonitorRunReport[]> {
    if (this.current) return this.current;
    this.current = this.monitoring.runDue(this.clock()).finally(() => (this.current = null));
    return this.current;
  }

  start(): void {
    if (this.timer) return;
    const loop = () => {
      this.tick()
        .catch((err: unknown) => this.options.onError?.(err))
        .finally(() => {
          if (this.timer) this.timer = setTimeout(loop, this.options.intervalMs ?? 10_000).unref();
        });
    };
    this.timer = setTimeout(loop, this.options.intervalMs ?? 10_000).unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.current;
  }
}
