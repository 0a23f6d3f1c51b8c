/**
 * Built-in steps between training and promotion — evaluate → gate → register — so a pipeline reads
 * as the loop does: the trained model is scored through ONNX Runtime beside the champion on the same
 * held-out rows, a gate decides, and only a model that passed is registered (`when: 'gate.passed'`).
 *
 * @example
 * trainStep({ name: 'train', data: 'data.version', job: { target: 'cnt' } }),
 * evaluateStep({ name: 'evaluate', run: 'train.runId', data: 'data.version', job: { target: 'cnt', champion: 'bike-demand@champion' } }),
 * gateStep({ name: 'gate', evaluation: 'evaluate.evaluation', rules: ['rmse <= 45', 'rmse <= champion * 0.99'] }),
 * registerStep({ name: 'register', run: 'train.runId', gate: 'gate.decision', model: 'bike-demand', when: 'gate.passed' }),
 */
import { gyreOver } from '../sdk/gyre.js';
import { evaluateRun } from '../training/evaluate-run.js';
import type { EvaluateRunJob, EvaluateRunResult } from '../training/evaluate-run.js';
import { parseGateRules } from '../training/gates/gate-rules.js';
import { decideGate } from '../training/gates/gate-decision.js';
import type { GateDecision } from '../training/gates/gate-decision.js';
import { step } from './define-pipeline.js';
import type { FunctionStepSpec } from './define-pipeline.js';
import type { DatasetVersionOutput } from './builtin-steps.js';

type Common = { name: string; after?: string[]; when?: string; retry?: FunctionStepSpec['retry']; timeoutMs?: number };
const actor = (name: string) => ({ user: process.env.GYRE_USER || 'gyre-pipeline', reason: `pipeline step ${name}` });

/** Scores the run's logged model (and the champion) on the held-out rows; always runs, since the champion may have moved. */
export function evaluateStep(o: Common & { run: string; data: string; job: Omit<EvaluateRunJob, 'runId' | 'data'> }) {
  return step({
    ...o,
    inputs: { run: o.run, data: o.data },
    outputs: ['evaluation'],
    alwaysRun: true,
    params: { job: { type: 'json', default: o.job } },
    run: async ({ inputs, params, services, log }) => {
      const job = params.job as Omit<EvaluateRunJob, 'runId' | 'data'>;
      const result = await evaluateRun(gyreOver(services), { ...job, runId: inputs.run as string, data: (inputs.data as DatasetVersionOutput).ref });
      const show = (m: Record<string, number>) => Object.entries(m).filter(([k]) => !k.includes('/')).map(([k, v]) => `${k} ${Number(v.toPrecision(4))}`).join(', ');
      log(`run ${result.runId} through ONNX Runtime on ${result.rows} held-out rows: ${show(result.metrics)}`);
      log(result.champion ? `champion ${result.champion.ref} (version ${result.champion.version}) on the same rows: ${show(result.champion.metrics)}` : 'no champion yet');
      return { evaluation: result };
    },
  });
}

/** Decides gate rules on an evaluation; the decision is recorded on the trained run. Rules are checked when the pipeline is defined. */
export function gateStep(o: Common & { evaluation: string; rules: string[] }) {
  parseGateRules(o.rules);
  return step({
    ...o,
    inputs: { evaluation: o.evaluation },
    outputs: ['passed', 'decision'],
    params: { rules: { type: 'json', default: o.rules } },
    run: async ({ inputs, params, services, log }) => {
      const evaluation = inputs.evaluation as EvaluateRunResult;
      const decision = decideGate(parseGateRules(params.rules as string[]), evaluation.metrics, evaluation.champion);
      const run = gyreOver(services).run(evaluation.runId);
      await run.setTags({ 'gyre.gate.passed': String(decision.passed), 'gyre.gate.summary': decision.summary.slice(0, 5000) });
      await run.logText('evaluation/gate.json', JSON.stringify(decision, null, 2));
      log(`gate ${decision.passed ? 'passed' : 'FAILED'}: ${decision.summary}`);
      return { passed: decision.passed, decision };
    },
  });
}

/** Registers the run's logged model as a new version, with the gate's decision as version tags and the champion as its parent. */
export function registerStep(o: Common & { run: string; model: string; gate?: string }) {
  return step({
    ...o,
    inputs: (o.gate ? { run: o.run, gate: o.gate } : { run: o.run }) as Record<'run' | 'gate', string>,
    outputs: ['registered'],
    params: { model: { type: 'string', default: o.model } },
    run: async ({ inputs, params, services, log }) => {
      const decision = (inputs as { gate?: GateDecision }).gate ?? null;
      const parent = decision?.champion ? `${decision.champion.ref.split('@')[0]}/${decision.champion.version}` : undefined;
      const v = await services.models.register({ name: params.model, runId: inputs.run as string, ...(parent ? { parentModel: parent } : {}) }, actor(o.name));
      if (decision) {
        await services.registry.setVersionTag(v.name, v.version, 'gyre.gate.passed', String(decision.passed), actor(o.name));
        await services.registry.setVersionTag(v.name, v.version, 'gyre.gate.summary', decision.summary.slice(0, 5000), actor(o.name));
      }
      log(`registered ${v.name} version ${v.version}${parent ? ` (parent ${parent})` : ''}`);
      return { registered: { name: v.name, version: v.version } };
    },
  });
}
