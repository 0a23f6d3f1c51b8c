/**
 * Challengers made by the user's own pipeline: the window's rows are written as CSV where the
 * pipeline reads them, the pipeline runs (its unchanged stages cached, as DVC would), and the version
 * of the policy's model it registered becomes the challenger. Champion and challenger are then scored
 * through ONNX Runtime on the evaluation rows and the gate decides — the same judgement as for
 * Gyre-trained challengers, whatever trained the model.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Gyre } from '../sdk/gyre.js';
import type { LocalModelsApi } from '../models/models-api.js';
import { GyreError } from '../core/errors.js';
import type { Frame } from '../training/dataset/frame.js';
import { truthOf } from '../training/fitted-model.js';
import { evaluatePredictions } from '../training/evaluation/evaluate.js';
import { scorePackage } from '../training/gates/score-package.js';
import { scoreChampion } from '../training/gates/score-champion.js';
import { decideGate } from '../training/gates/gate-decision.js';
import { parseGateRules } from '../training/gates/gate-rules.js';
import type { GateDecision } from '../training/gates/gate-decision.js';
import type { RetrainingPolicy, PipelineTrainer } from './entities.js';

/** Runs a pipeline file to its end (injected: continuous training does not depend on the pipeline engine). */
export type PipelineRunnerFn = (file: string, trigger: string) => Promise<{ runId: string; trackingRunId: string; status: string; error: string | null }>;

const cell = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** A frame as CSV: numbers as written (missing: empty), categories as their text. */
export function frameToCsv(frame: Frame): string {
  const lines = [frame.columns.map((c) => cell(c.name)).join(',')];
  for (let i = 0; i < frame.nRows; i++) {
    lines.push(
      frame.columns
        .map((c) => {
          if (c.kind === 'numeric') return Number.isNaN(c.values[i]!) ? '' : String(c.values[i]);
          const code = c.codes[i]!;
          return code < 0 ? '' : cell(c.categories[code]!);
        })
        .join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}

function writeCsv(file: string, frame: Frame): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, frameToCsv(frame));
  fs.renameSync(tmp, file);
}

export interface PipelineChallenger {
  runId: string;
  version: number;
  gate: GateDecision;
  metrics: Record<string, number>;
  champion: { ref: string; version: number; metrics: Record<string, number> } | null;
}

/** The model's newest version number (0 when it has none yet). */
async function latestVersion(gyre: Gyre, model: string): Promise<number> {
  const versions = await gyre.registry.listVersions(model);
  return Math.max(0, ...versions.map((v) => v.version));
}

export async function challengerFromPipeline(
  gyre: Gyre,
  runPipeline: PipelineRunnerFn,
  p: RetrainingPolicy,
  spec: PipelineTrainer,
  frames: { train: Frame; test: Frame },
  rules: string[],
  trigger: string,
): Promise<PipelineChallenger> {
  writeCsv(spec.trainData, frames.train);
  if (spec.evaluationData) writeCsv(spec.evaluationData, frames.test);
  const before = await latestVersion(gyre, p.model);
  const run = await runPipeline(spec.file, `retraining:${p.deployment}:${trigger}`);
  if (run.status !== 'succeeded') throw new GyreError('INVALID_STATE', `The training pipeline ${spec.file} ${run.status}: ${run.error ?? 'no error recorded'} (pipeline run ${run.runId}).`, { pipelineRun: run.runId });
  const after = await latestVersion(gyre, p.model);
  if (after <= before) throw new GyreError('INVALID_STATE', `The training pipeline ${spec.file} succeeded but registered no new version of '${p.model}'; its last stage must register the model it trained (e.g. gyre models register --name ${p.model} ...).`, { pipelineRun: run.runId });
  const models = gyre.models as LocalModelsApi;
  const challenger = await models.loadPackage(`${p.model}/${after}`);
  const task = challenger.manifest.task === 'classification' ? 'classification' : 'regression';
  const evaluation = evaluatePredictions({ truth: truthOf(frames.test, p.target, task), predictions: await scorePackage(challenger.onnx, challenger.manifest, frames.test) });
  const champion = await scoreChampion(models, `${p.model}@${p.alias}`, frames.test, p.target, task);
  const gate = decideGate(parseGateRules(rules), evaluation.metrics, champion);
  const actor = { user: 'gyre-continuous-training', reason: null };
  await gyre.registry.setVersionTag(p.model, after, 'gyre.gate.passed', String(gate.passed), actor);
  await gyre.registry.setVersionTag(p.model, after, 'gyre.gate.summary', gate.summary.slice(0, 5000), actor);
  return { runId: run.trackingRunId, version: after, gate, metrics: evaluation.metrics, champion: champion ? { ref: champion.ref, version: champion.version, metrics: champion.metrics } : null };
}
