/**
 * Event and HTTP triggers. Each event a trigger matches starts its pipeline under a run id derived
 * from (trigger, event id), and the trigger's read cursor moves only after the run is recorded: a
 * crash in between re-reads the event and finds its run, so no event is lost or run twice.
 */
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { GyreError, invalidArgument, isGyreError } from '../../core/errors.js';
import type { PipelineService } from '../pipeline-service.js';
import type { StepDispatcher } from '../pipeline-runner.js';
import { loadPipelineFile } from '../pipeline-files.js';
import type { ScheduleStore, TriggerBinding } from './schedule-store.js';
import { derivedRunId } from './pipeline-scheduler.js';
import { eventMatches, HTTP_SOURCE } from './trigger-sources.js';
import type { TriggerSource } from './trigger-sources.js';

const PAGE = 100;

export interface AddTriggerInput {
  name: string;
  pipelineFile: string;
  /** `http`, or a key of the wired event sources (`registry`). */
  source: string;
  eventTypes?: string[];
  model?: string;
}

export class PipelineTriggers {
  private readonly runs = new Set<Promise<unknown>>();

  constructor(
    private readonly pipelines: PipelineService,
    private readonly store: ScheduleStore,
    private readonly sources: Record<string, TriggerSource>,
    private readonly opts: { dispatcher?: () => Promise<StepDispatcher | null>; onError?: (err: unknown) => void } = {},
  ) {}

  /** Checks the source, its event types and the pipeline file; reading starts at the source's newest event. */
  async add(input: AddTriggerInput, now = Date.now()): Promise<TriggerBinding> {
    if (!/^[A-Za-z0-9_-]+$/.test(input.name)) throw invalidArgument(`Trigger name '${input.name}' may hold only letters, digits, '_' and '-'.`, { name: input.name });
    const source = input.source === HTTP_SOURCE ? null : this.sources[input.source];
    if (input.source !== HTTP_SOURCE && !source) {
      throw invalidArgument(`Unknown trigger source '${input.source}'. Available: ${[HTTP_SOURCE, ...Object.keys(this.sources)].join(', ')}.`, { source: input.source });
    }
    const known = source?.eventTypes ?? [];
    for (const t of input.eventTypes ?? []) {
      const ok = t === '*' || known.includes(t) || (t.endsWith('.*') && known.some((k) => k.startsWith(t.slice(0, -1))));
      if (source && known.length && !ok) throw invalidArgument(`Source '${input.source}' never emits '${t}'. Its events: ${known.join(', ')}.`, { eventType: t });
    }
    const pipelineFile = path.resolve(input.pipelineFile);
    await loadPipelineFile(pipelineFile);
    const binding: TriggerBinding = {
      name: input.name,
      pipelineFile,
      source: input.source,
      filter: { ...(input.eventTypes ? { eventTypes: input.eventTypes } : {}), ...(input.model ? { model: input.model } : {}) },
      cursor: source ? await newestEventId(source) : 0,
      createdAt: now,
    };
    await this.store.createTrigger(binding);
    return binding;
  }

  /** Reads every event trigger's source once; returns the run ids started. */
  async poll(): Promise<string[]> {
    const started: string[] = [];
    for (const t of await this.store.listTriggers()) {
      const source = this.sources[t.source];
      if (!source) continue;
      const events = await source.listEvents(t.cursor, PAGE);
      if (!events.length) continue;
      for (const event of events.filter((e) => eventMatches(t.filter, e))) {
        const runId = derivedRunId('trigger', t.name, event.id);
        await this.start(t, runId, `trigger:${t.name}#${event.id}`);
        started.push(runId);
      }
      await this.store.advanceTrigger(t.name, t.cursor, events[events.length - 1]!.id);
    }
    return started;
  }

  /** An HTTP call fires an `http` trigger; the same idempotency key starts one run however often it is sent. */
  async fire(name: string, idempotencyKey?: string): Promise<string> {
    const t = await this.store.getTrigger(name);
    if (t.source !== HTTP_SOURCE) throw new GyreError('INVALID_STATE', `Trigger '${name}' fires on ${t.source} events, not HTTP calls.`, { name, source: t.source });
    const runId = derivedRunId('trigger', name, idempotencyKey ?? randomUUID());
    await this.start(t, runId, `trigger:${name}${idempotencyKey ? `#${idempotencyKey}` : ''}`);
    return runId;
  }

  /** Resolves once the run is recorded (or was already); the run itself goes on in the background. */
  private async start(t: TriggerBinding, runId: string, trigger: string): Promise<void> {
    const pipeline = await loadPipelineFile(t.pipelineFile);
    const dispatcher = (await this.opts.dispatcher?.()) ?? undefined;
    let recorded!: () => void;
    const onStart = new Promise<void>((resolve) => (recorded = resolve));
    const run = this.pipelines
      .run(pipeline, { runId, trigger, onStart: () => recorded(), ...(dispatcher ? { dispatcher } : {}) })
      .catch((err) => {
        if (!(isGyreError(err) && err.code === 'ALREADY_EXISTS')) this.opts.onError?.(err);
      })
      .finally(() => {
        recorded();
        this.runs.delete(run);
        return dispatcher?.close();
      });
    this.runs.add(run);
    await onStart;
  }

  async settled(): Promise<void> {
    while (this.runs.size) await Promise.allSettled([...this.runs]);
  }
}

async function newestEventId(source: TriggerSource): Promise<number> {
  let cursor = 0;
  for (;;) {
    const page = await source.listEvents(cursor, 1000);
    if (!page.length) return cursor;
    cursor = page[page.length - 1]!.id;
  }
}
