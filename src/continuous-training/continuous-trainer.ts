/**
 * The continuous trainer: runs each deployment's retraining policy. A trigger (the schedule, a
 * monitoring alert, a person) asks for a retraining; the guard rails may refuse (one at a time per
 * deployment, a cool-down, a weekly budget); otherwise it assembles the labelled window, trains a
 * challenger, scores it and the champion on the newest labelled days, and — only if the gate passes —
 * moves the alias the deployment follows. Every decision is recorded with its reason; a failed gate
 * or a failed retraining also raises an alert. Time comes from an injected clock, so the same code
 * runs live and in an accelerated replay.
 */
import type { Gyre } from '../sdk/gyre.js';
import { DataService } from '../data/data-service.js';
import { LocalModelsApi } from '../models/models-api.js';
import { GyreError, invalidArgument } from '../core/errors.js';
import type { InferenceLogStore } from '../serving/inference-log/inference-log-store.js';
import { runTrainJob } from '../training/train-job.js';
import type { RetrainingEvent, RetrainingOutcome, RetrainingPolicy } from './entities.js';
import type { RetrainingStore } from './retraining-store.js';
import { datasetRows, days, inferenceLogRows, splitAt, windowFrame } from './training-window.js';
import type { FeatureKind, LabelledRows } from './training-window.js';
import type { DeploymentService } from '../serving/deployments/deployment-service.js';
import { judgeCanary } from './canary-judge.js';
import { challengerFromPipeline } from './pipeline-challenger.js';
import type { PipelineRunnerFn } from './pipeline-challenger.js';
import type { Frame } from '../training/dataset/frame.js';

/** An alert about a retraining (gate failed, retraining failed, canary rolled back). */
export interface RetrainingAlert {
  deployment: string;
  /** `retraining_gate_failed`, `retraining_failed`, `canary_rolled_back`. */
  rule: string;
  severity: 'warning' | 'critical';
  title: string;
  detail: Record<string, unknown>;
}

/**
 * Where retraining alerts go: the monitoring service stores, deduplicates and delivers them like
 * monitor alerts (monitoringAlertSink); a promotion resolves the ones still firing.
 */
export interface RetrainingAlertSink {
  raise(alert: RetrainingAlert, at: number): Promise<void>;
  resolve(deployment: string, rules: string[], at: number): Promise<void>;
}

export const RETRAINING_ALERT_RULES = ['retraining_gate_failed', 'retraining_failed', 'canary_rolled_back'];

export interface ContinuousTrainerDeps {
  gyre: Gyre;
  inferenceLog: InferenceLogStore;
  store: RetrainingStore;
  /** Needed by canary rollouts (they change the deployment's traffic split). */
  deployments?: DeploymentService;
  clock?: () => number;
  /** After an alias moved: e.g. make the deployment manager reconcile now rather than at its next poll. */
  afterPromotion?: (deployment: string, version: number) => Promise<void>;
  /** A failed gate, a failed retraining, a rolled-back canary (the champion keeps serving). */
  alerts?: RetrainingAlertSink;
  /** Runs a policy's own training pipeline (`trainer.pipeline`); see pipelineRunner(). */
  runPipeline?: PipelineRunnerFn;
}

/** What a monitoring alert must tell the trainer. */
export interface AlertSignal {
  deployment: string;
  rule: string;
}

/** Fewer labelled rows than this in the training part, or in the evaluation days, and a retraining is skipped. */
export const MIN_TRAIN_ROWS = 100;
export const MIN_EVALUATION_ROWS = 24;

/** Decisions taken when a canary's observation ends; they settle a retraining, they are not one. */
const CANARY_CHECK = 'canary-check';
const ACTOR = { user: 'gyre-continuous-training', reason: null };

export class ContinuousTrainer {
  private readonly running = new Set<string>();
  private readonly nextScheduled = new Map<string, number>();
  private readonly datasetCache = new Map<string, LabelledRows>();
  private readonly clock: () => number;

  constructor(private readonly deps: ContinuousTrainerDeps) {
    this.clock = deps.clock ?? Date.now;
  }

  /**
   * Settles canaries whose observation is over, then runs every policy whose schedule is due: every
   * `everyDays` counted from the last scheduled attempt, or from when the policy was set.
   */
  async tick(): Promise<RetrainingEvent[]> {
    const now = this.clock();
    const out: RetrainingEvent[] = [];
    for (const { policy: p, updatedAt } of await this.deps.store.listPolicies()) {
      const settled = await this.settleCanary(p, now);
      if (settled) out.push(settled);
      if (!p.triggers.everyDays) continue;
      const due = this.nextScheduled.get(p.deployment) ?? (await this.firstDue(p, updatedAt));
      if (now < due) continue;
      this.nextScheduled.set(p.deployment, now + days(p.triggers.everyDays));
      out.push(await this.retrain(p.deployment, 'schedule'));
    }
    return out;
  }

  /** A monitoring alert: retrains when the deployment's policy listens to that rule. */
  async onAlert(signal: AlertSignal): Promise<RetrainingEvent | null> {
    let policy: RetrainingPolicy;
    try {
      policy = await this.deps.store.getPolicy(signal.deployment);
    } catch (err) {
      if (err instanceof GyreError && err.code === 'NOT_FOUND') return null;
      throw err;
    }
    const on = policy.triggers.onAlerts;
    // A listed name matches the rule key (`performance:rmse`) or its kind (`performance`).
    if (!on || (Array.isArray(on) && !on.some((name) => signal.rule === name || signal.rule.startsWith(`${name}:`)))) return null;
    return this.retrain(signal.deployment, `alert:${signal.rule}`);
  }

  /** One retraining attempt, whatever asked for it; always returns the recorded decision. */
  async retrain(deployment: string, trigger: string): Promise<RetrainingEvent> {
    const now = this.clock();
    const policy = await this.deps.store.getPolicy(deployment);
    const skip = await this.guardRails(policy, now);
    if (skip) return this.record(policy, now, trigger, 'skipped', skip, {});
    this.running.add(deployment);
    try {
      return await this.run(policy, now, trigger);
    } catch (err) {
      const reason = `Retraining failed: ${(err as Error).message}`;
      await this.deps.alerts?.raise({ deployment, rule: 'retraining_failed', severity: 'critical', title: `Retraining of ${deployment} failed; the champion keeps serving: ${(err as Error).message}`, detail: { trigger, error: (err as Error).message } }, now);
      return this.record(policy, now, trigger, 'failed', reason, { error: (err as Error).message });
    } finally {
      this.running.delete(deployment);
    }
  }

  private async firstDue(p: RetrainingPolicy, setAt: number): Promise<number> {
    // Resume from the last scheduled decision (or the policy's start), so a restart neither repeats nor skips one.
    const last = (await this.deps.store.events(p.deployment, 50)).find((e) => e.trigger === 'schedule');
    return (last ? Math.max(last.at, setAt) : setAt) + days(p.triggers.everyDays!);
  }

  private async guardRails(p: RetrainingPolicy, now: number): Promise<string | null> {
    if (this.running.has(p.deployment)) return 'A retraining of this deployment is already running (at most one at a time).';
    const pending = await this.pendingCanary(p);
    if (pending) return `Version ${pending.version} is under observation as a canary since ${new Date(pending.at).toISOString()}; no new retraining until it is settled.`;
    const recent = (await this.deps.store.retrainingsSince(p.deployment, now - days(7))).filter((e) => e.trigger !== CANARY_CHECK);
    const last = recent.at(-1);
    if (last && now - last.at < p.guardRails.coolDownHours * 3_600_000) {
      return `Cool-down: the last retraining ran ${((now - last.at) / 3_600_000).toFixed(1)} h ago; the policy waits ${p.guardRails.coolDownHours} h between retrainings.`;
    }
    if (recent.length >= p.guardRails.maxPerWeek) return `Budget: ${recent.length} retrainings in the last 7 days, the policy allows ${p.guardRails.maxPerWeek}.`;
    return null;
  }

  private async run(p: RetrainingPolicy, now: number, trigger: string): Promise<RetrainingEvent> {
    const { gyre } = this.deps;
    if (!(gyre.data instanceof DataService) || !(gyre.models instanceof LocalModelsApi)) throw invalidArgument('Continuous training runs next to the stores (embedded mode).', {});
    const championRef = `${p.model}@${p.alias}`;
    const champion = await gyre.models.loadPackage(championRef);
    const features = p.features ?? champion.manifest.inputs.map((f) => f.name);
    const typeOf = new Map(champion.manifest.inputs.map((f) => [f.name, f.type]));
    const kinds: FeatureKind[] = [...features.map((name) => ({ name, numeric: typeOf.get(name) !== 'string' && typeOf.get(name) !== 'boolean' })), { name: p.target, numeric: champion.manifest.task !== 'classification' }];
    const from = now - days(p.data.windowDays);
    const sources: LabelledRows[] = [];
    if (p.data.dataset) sources.push(await this.dataset(p, [...features, p.target]));
    let skippedLog = 0;
    if (p.data.includeInferenceLog !== false) {
      const log = await inferenceLogRows(this.deps.inferenceLog, p.deployment, p.target, features, from, now);
      skippedLog = log.skipped;
      sources.push(log);
    }
    const { frame, times } = windowFrame(sources, kinds, from, now);
    const { train, test } = splitAt(frame, times, now - days(p.evaluationDays));
    const window = { from, to: now, trainRows: train.nRows, evaluationRows: test.nRows, unusableLogRecords: skippedLog };
    if (train.nRows < MIN_TRAIN_ROWS || test.nRows < MIN_EVALUATION_ROWS) {
      return this.record(p, now, trigger, 'skipped', `Not enough labelled data: ${train.nRows} training rows (need ${MIN_TRAIN_ROWS}) and ${test.nRows} in the last ${p.evaluationDays} days (need ${MIN_EVALUATION_ROWS}).`, { window }, champion.version.version);
    }
    const metric = champion.manifest.task === 'classification' ? 'log_loss' : 'rmse';
    const gates = p.gates ?? [`${metric} <= champion * 0.99`];
    const result = p.trainer.pipeline ? await this.pipelineChallenger(p, { train, test }, gates, trigger) : await runTrainJob(gyre, {
      frames: { train, test, label: `${p.deployment} window ${new Date(from).toISOString().slice(0, 10)}..${new Date(now).toISOString().slice(0, 10)}` },
      target: p.target,
      features,
      model: p.trainer.model,
      ...(p.trainer.params ? { params: p.trainer.params } : {}),
      ...(p.trainer.search ? { search: p.trainer.search } : {}),
      ...(p.trainer.sensitive ? { sensitive: p.trainer.sensitive } : {}),
      gates,
      champion: championRef,
      register: p.model,
      // A canary rollout registers without promoting; the alias moves when the canary has won.
      ...(p.rollout === 'promote' ? { alias: p.alias } : {}),
      experiment: `retraining-${p.deployment}`,
      tags: { 'gyre.retraining.deployment': p.deployment, 'gyre.retraining.trigger': trigger },
      user: 'gyre-continuous-training',
      // The trainer often shares its process with serving: fit off the event loop.
      offThread: true,
    });
    const detail = { window, gate: result.gate, metrics: pick(result.metrics, metric), champion: result.champion ? pick(result.champion.metrics, metric) : null };
    if (p.rollout !== 'promote' && result.gate?.passed) {
      const deployments = this.requireDeployments();
      const version = result.registered!.version;
      await deployments.canary(p.deployment, `${p.model}/${version}`, p.rollout.percent, { ...ACTOR, reason: `retraining (${trigger}): canary of version ${version}` });
      const until = now + p.rollout.observeHours * 3_600_000;
      return this.record(p, now, trigger, 'canary', `Version ${version} passed the gate (${result.gate.summary}) and takes ${p.rollout.percent}% of traffic until ${new Date(until).toISOString()}; then it is promoted or rolled back on production labels.`, { ...detail, canary: { version, percent: p.rollout.percent, observeUntil: until } }, champion.version.version, result);
    }
    if (result.promoted) {
      await this.deps.afterPromotion?.(p.deployment, result.registered!.version);
      await this.deps.alerts?.resolve(p.deployment, RETRAINING_ALERT_RULES, now);
      return this.record(p, now, trigger, 'promoted', `Version ${result.registered!.version} beat version ${champion.version.version} on the last ${p.evaluationDays} days (${result.gate!.summary}) and now serves as @${p.alias}.`, detail, champion.version.version, result);
    }
    await this.deps.alerts?.raise({ deployment: p.deployment, rule: 'retraining_gate_failed', severity: 'warning', title: `Retrained challenger for ${p.deployment} failed its gate; version ${champion.version.version} keeps serving: ${result.gate!.summary}`, detail: { trigger, gate: result.gate } }, now);
    return this.record(p, now, trigger, 'rejected', `Version ${result.registered?.version} did not pass the gate: ${result.gate!.summary} Version ${champion.version.version} keeps serving.`, detail, champion.version.version, result);
  }

  /** A challenger from the policy's own pipeline, shaped like a training job's result (promoted when the gate passed and rollout is `promote`). */
  private async pipelineChallenger(p: RetrainingPolicy, frames: { train: Frame; test: Frame }, gates: string[], trigger: string) {
    if (!this.deps.runPipeline) throw invalidArgument('This policy trains with a pipeline; give the continuous trainer a pipeline runner (gyre server does).', {});
    const c = await challengerFromPipeline(this.deps.gyre, this.deps.runPipeline, p, p.trainer.pipeline!, frames, gates, trigger);
    const promote = p.rollout === 'promote' && c.gate.passed;
    if (promote) await this.deps.gyre.registry.setAlias(p.model, p.alias, c.version, { ...ACTOR, reason: `retraining (${trigger}): ${c.gate.summary}`.slice(0, 1000) });
    return { runId: c.runId, gate: c.gate, metrics: c.metrics, champion: c.champion, registered: { version: c.version }, promoted: promote };
  }

  /** The canary awaiting settlement: the newest retraining decision, if it is a canary. */
  private async pendingCanary(p: RetrainingPolicy): Promise<RetrainingEvent | null> {
    const last = (await this.deps.store.events(p.deployment, 20)).find((e) => e.outcome !== 'skipped');
    return last?.outcome === 'canary' ? last : null;
  }

  /** Promotes a canary that did no worse than the stable version on labelled traffic, or rolls it back. */
  private async settleCanary(p: RetrainingPolicy, now: number): Promise<RetrainingEvent | null> {
    if (p.rollout === 'promote') return null;
    const started = await this.pendingCanary(p);
    if (!started || now < started.at + p.rollout.observeHours * 3_600_000) return null;
    const deployments = this.requireDeployments();
    const task = (await (this.deps.gyre.models as LocalModelsApi).loadPackage(`${p.model}/${started.version}`)).manifest.task === 'classification' ? 'classification' : 'regression';
    const verdict = await judgeCanary(this.deps.inferenceLog, { deployment: p.deployment, from: started.at, to: now, stableVersion: String(started.championVersion), canaryVersion: String(started.version), task, minRows: MIN_EVALUATION_ROWS });
    const detail = { canary: verdict, startedAt: started.at };
    const scores = `${verdict.metric} ${fmt(verdict.canary.value)} on ${verdict.canary.rows} labelled rows vs the stable version's ${fmt(verdict.stable.value)} on ${verdict.stable.rows}`;
    if (verdict.canaryWins === null) {
      if (now < started.at + 3 * p.rollout.observeHours * 3_600_000) return null; // keep observing
      await deployments.rollback(p.deployment, { ...ACTOR, reason: 'canary without enough labelled traffic' });
      await this.deps.alerts?.raise({ deployment: p.deployment, rule: 'canary_rolled_back', severity: 'warning', title: `Canary of ${p.deployment} version ${started.version} rolled back: too little labelled traffic to judge`, detail }, now);
      return this.record(p, now, CANARY_CHECK, 'rolled-back', `Version ${started.version} was rolled back: after ${(3 * p.rollout.observeHours).toFixed(0)} h there were too few labelled rows to judge it (${scores}).`, detail, started.championVersion, { runId: started.runId ?? '', registered: { version: started.version! } });
    }
    if (verdict.canaryWins) {
      await this.deps.gyre.registry.setAlias(p.model, p.alias, started.version!, { ...ACTOR, reason: `canary won: ${scores}` });
      await deployments.finishCanary(p.deployment, { ...ACTOR, reason: `canary of version ${started.version} won` });
      await this.deps.afterPromotion?.(p.deployment, started.version!);
      await this.deps.alerts?.resolve(p.deployment, RETRAINING_ALERT_RULES, now);
      return this.record(p, now, CANARY_CHECK, 'promoted', `Canary version ${started.version} did no worse than version ${started.championVersion} on production labels (${scores}) and now serves as @${p.alias}.`, detail, started.championVersion, { runId: started.runId ?? '', registered: { version: started.version! } });
    }
    await deployments.rollback(p.deployment, { ...ACTOR, reason: `canary lost: ${scores}` });
    await this.deps.alerts?.raise({ deployment: p.deployment, rule: 'canary_rolled_back', severity: 'warning', title: `Canary of ${p.deployment} version ${started.version} rolled back: worse than version ${started.championVersion} on production labels (${scores})`, detail }, now);
    return this.record(p, now, CANARY_CHECK, 'rolled-back', `Canary version ${started.version} was worse than version ${started.championVersion} on production labels (${scores}); rolled back.`, detail, started.championVersion, { runId: started.runId ?? '', registered: { version: started.version! } });
  }

  private requireDeployments(): DeploymentService {
    if (!this.deps.deployments) throw invalidArgument('A canary rollout changes the deployment; give the continuous trainer the deployment service.', {});
    return this.deps.deployments;
  }

  private async dataset(p: RetrainingPolicy, names: string[]): Promise<LabelledRows> {
    const data = this.deps.gyre.data as DataService;
    const version = await data.get(p.data.dataset!);
    const key = `${version.digest}:${names.join(',')}`;
    let rows = this.datasetCache.get(key);
    if (!rows) {
      const wanted = [...names, p.data.timeColumn!, ...(p.data.hourColumn ? [p.data.hourColumn] : [])];
      const t = await data.readColumns(`${version.name}@${version.version}`, { limit: 100_000_000 });
      rows = datasetRows(p, Object.fromEntries(wanted.filter((n) => t.columns[n]).map((n) => [n, t.columns[n]!])), names);
      this.datasetCache.clear();
      this.datasetCache.set(key, rows);
    }
    return rows;
  }

  private record(p: RetrainingPolicy, at: number, trigger: string, outcome: RetrainingOutcome, reason: string, detail: Record<string, unknown>, championVersion: number | null = null, result?: { runId: string; registered: { version: number } | null }): Promise<RetrainingEvent> {
    return this.deps.store.appendEvent({ deployment: p.deployment, at, trigger, outcome, reason, runId: result?.runId ?? null, version: result?.registered?.version ?? null, championVersion, detail });
  }
}

const pick = (m: Record<string, number>, key: string) => ({ [key]: m[key] ?? null });
const fmt = (v: number | null) => (v === null ? 'n/a' : Number(v.toPrecision(4)).toString());
