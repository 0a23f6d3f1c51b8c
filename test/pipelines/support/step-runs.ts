/** The nested tracking runs of a pipeline run's steps, as a user would look them up (MLflow's parentRunId). */
import type { Services } from '../../../src/services.js';

export async function stepRunsOf(services: Services, parentRunId: string): Promise<{ finishedByStep: Map<string, number>; statusesOf(step: string): string[] }> {
  const parent = await services.tracking.getRun(parentRunId);
  const children = await services.tracking.searchRuns({ experimentIds: [parent.info.experimentId], filter: `tags.mlflow.parentRunId = '${parentRunId}'`, maxResults: 1000 });
  const finishedByStep = new Map<string, number>();
  for (const c of children.items) if (c.info.status === 'FINISHED') finishedByStep.set(c.info.runName, (finishedByStep.get(c.info.runName) ?? 0) + 1);
  return { finishedByStep, statusesOf: (step) => children.items.filter((c) => c.info.runName === step).map((c) => c.info.status).sort() };
}
