/**
 * Every deployment of the store, live in this process, and the OIP face of them (ServedModels).
 * `sync()` reconciles with the store — new deployments start loading, changed specs are applied,
 * deleted ones drain and close — and re-resolves references, so an alias move made anywhere
 * (another process, the CLI) reaches this server within one poll interval.
 */
import { DeploymentRuntime } from './deployment-runtime.js';
import type { RecordsResponse, RuntimeDeps } from './deployment-runtime.js';
import type { DeploymentStore } from './deployment-store.js';
import type { InferContext, ServedModels } from '../served-models.js';
import { unknownModel } from '../served-models.js';
import type { InferenceResponse, ModelMetadata } from '../oip/protocol.js';

export class DeploymentManager implements ServedModels {
  private readonly runtimes = new Map<string, DeploymentRuntime>();
  private syncing: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly store: DeploymentStore,
    private readonly deps: RuntimeDeps,
  ) {}

  /** One reconcile pass; concurrent callers share it. */
  sync(): Promise<void> {
    this.syncing ??= this.doSync().finally(() => (this.syncing = null));
    return this.syncing;
  }

  private async doSync(): Promise<void> {
    const deployments = await this.store.list();
    const seen = new Set<string>();
    await Promise.all(
      deployments.map(async (d) => {
        seen.add(d.name);
        let runtime = this.runtimes.get(d.name);
        if (!runtime) this.runtimes.set(d.name, (runtime = new DeploymentRuntime(d.name, d.spec, this.deps)));
        // Every pass re-resolves the references, so an alias moved anywhere is followed.
        await runtime.refresh(d.spec);
      }),
    );
    for (const [name, runtime] of this.runtimes) {
      if (seen.has(name)) continue;
      this.runtimes.delete(name);
      await runtime.close();
    }
  }

  /** Reconciles every `intervalMs` until stop(); the timer never keeps the process alive. */
  start(intervalMs = 2_000, onError: (err: unknown) => void = () => {}): void {
    const tick = () => {
      this.sync()
        .catch(onError)
        .finally(() => {
          if (this.timer) this.timer = setTimeout(tick, intervalMs).unref();
        });
    };
    this.timer = setTimeout(tick, 0).unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.syncing;
    await Promise.all([...this.runtimes.values()].map((r) => r.close()));
    this.runtimes.clear();
  }

  runtime(name: string): DeploymentRuntime {
    const runtime = this.runtimes.get(name);
    if (!runtime) throw unknownModel(name, this.names());
    return runtime;
  }

  names(): string[] {
    return [...this.runtimes.keys()];
  }
  metadata(name: string, version?: string): ModelMetadata {
    return this.runtime(name).metadata(version);
  }
  checkReady(name: string, version?: string): void {
    this.runtime(name).checkReady(version);
  }
  infer(name: string, version: string | undefined, body: unknown, context: InferContext): Promise<InferenceResponse> {
    return this.runtime(name).infer(version, body, context);
  }
  predict(name: string, records: unknown, context: InferContext): Promise<RecordsResponse> {
    return this.runtime(name).predict(records, context);
  }
  allReady(): boolean {
    return [...this.runtimes.values()].every((r) => r.ready);
  }
}
