/**
 * What a step does once it has an attempt: a shell step restores its deps, runs its command and
 * stores its outs; a function step reads its inputs, is called, and its returned outputs are
 * stored. Outputs go to the artifact store (small values inline), wherever the step runs.
 */
import path from 'node:path';
import { GyreError } from '../core/errors.js';
import type { OutputArtifact, PipelineRun, StepDefinition } from './entities.js';
import { putPath, putValue, readValue, restorePath } from './step-outputs.js';
import { runShellCommand } from './shell-command.js';
import { GATE_OUTPUT } from './yaml-pipeline.js';
import type { StepLog } from './step-log.js';
import type { PipelineEnv, StepRequest } from './step-execution.js';

/** Why a step stopped early: the run was cancelled (not a failure of the step). */
export class StepCancelled extends Error {}

export async function runBody(env: PipelineEnv, run: PipelineRun, step: StepDefinition, req: StepRequest, log: StepLog, signal: AbortSignal, attempt: number, trackingRunId: string): Promise<OutputArtifact[]> {
  const artifacts = env.services.artifactStore;
  if (step.kind.type === 'shell') {
    const root = run.definition.root ?? '.';
    for (const [dep, outs] of Object.entries(req.inputs)) await restorePath(artifacts, outs[0]!, path.resolve(root, dep));
    const paramEnv = Object.fromEntries(Object.entries(step.params).map(([k, v]) => [`GYRE_PARAM_${k.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`, typeof v === 'string' ? v : JSON.stringify(v)]));
    const envVars = { ...process.env, ...paramEnv, GYRE_PIPELINE_RUN_ID: run.runId, GYRE_PIPELINE_STEP: step.name, GYRE_RUN_ID: trackingRunId, MLFLOW_RUN_ID: trackingRunId, GYRE_STEP_ATTEMPT: String(attempt) };
    log.line(`$ ${step.kind.cmd}`);
    const result = await runShellCommand(step.kind.cmd, path.resolve(root, step.kind.cwd), envVars, signal);
    log.append(result.log);
    if (signal.aborted) throw signal.reason instanceof Error ? signal.reason : new StepCancelled('cancelled');
    const passed = result.exitCode === 0;
    if (!passed && !(step.kind.gate && result.exitCode === 1)) {
      throw new GyreError('INVALID_STATE', `Step '${step.name}': command ${result.signal ? `was killed by ${result.signal}` : `exited with code ${result.exitCode}`}. See its log: gyre pipelines logs ${run.runId} ${step.name}`, { step: step.name, exitCode: result.exitCode });
    }
    const outputs: OutputArtifact[] = [];
    for (const out of step.kind.outs) outputs.push(await putPath(artifacts, out, path.resolve(root, out)));
    if (step.kind.gate) outputs.push(await putValue(artifacts, GATE_OUTPUT, passed));
    return outputs;
  }
  const fn = (await env.functionsFor(run)).get(step.name);
  if (!fn) throw new GyreError('INVALID_STATE', `No function for step '${step.name}' in this process. Define the pipeline with module: import.meta.url so workers can load it.`, { step: step.name });
  const inputs: Record<string, unknown> = {};
  for (const [name, outs] of Object.entries(req.inputs)) {
    const values = await Promise.all(outs.map((o) => readValue(artifacts, o)));
    inputs[name] = step.fanIn.includes(name) ? values : values[0];
  }
  const result = (await fn({ params: step.params, inputs, item: step.item, log: (...parts) => log.line(parts.map(String).join(' ')), signal, attempt, pipelineRunId: run.runId, trackingRunId, services: env.services })) ?? {};
  if (typeof result !== 'object' || Array.isArray(result)) throw new GyreError('INVALID_ARGUMENT', `Step '${step.name}' must return an object of its outputs (${step.outputs.join(', ') || 'none'}).`, { step: step.name });
  const returned = result as Record<string, unknown>;
  for (const key of Object.keys(returned)) {
    if (!step.outputs.includes(key)) throw new GyreError('INVALID_ARGUMENT', `Step '${step.name}' returned '${key}', which is not among its declared outputs (${step.outputs.join(', ') || 'none'}). Declare it in outputs.`, { step: step.name, output: key });
  }
  const outputs: OutputArtifact[] = [];
  for (const name of step.outputs) {
    if (!(name in returned)) throw new GyreError('INVALID_ARGUMENT', `Step '${step.name}' declares the output '${name}' but did not return it.`, { step: step.name, output: name });
    outputs.push(await putValue(artifacts, name, returned[name]));
  }
  return outputs;
}
