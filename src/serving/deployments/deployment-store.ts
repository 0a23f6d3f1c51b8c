/** Persistence of deployments and their change history. One interface, every backend. */
import type { Deployment, DeploymentChange, DeploymentSpec } from './entities.js';

export interface DeploymentStore {
  /** ALREADY_EXISTS when the name is taken. The change is recorded in the same transaction. */
  create(name: string, spec: DeploymentSpec, change: Omit<DeploymentChange, 'deployment' | 'before' | 'after'>): Promise<Deployment>;
  get(name: string): Promise<Deployment>;
  list(): Promise<Deployment[]>;
  /**
   * Replaces the spec if it is still `expected` (compare-and-set, so two concurrent edits cannot
   * silently overwrite each other: the loser gets CONFLICT), recording the change.
   */
  update(name: string, expected: DeploymentSpec, next: DeploymentSpec, change: Omit<DeploymentChange, 'deployment' | 'before' | 'after'>): Promise<Deployment>;
  delete(name: string, change: Omit<DeploymentChange, 'deployment' | 'before' | 'after'>): Promise<void>;
  /** Newest first. */
  history(name: string, limit: number): Promise<DeploymentChange[]>;
}
