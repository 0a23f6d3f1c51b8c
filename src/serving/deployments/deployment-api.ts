/** What users do with deployments, the same locally (DeploymentService) and remotely (RestDeploymentApi). */
import type { DeploymentService } from './deployment-service.js';

export type DeploymentApi = Pick<DeploymentService, 'create' | 'get' | 'list' | 'history' | 'delete' | 'replace' | 'canary' | 'stepCanary' | 'promote' | 'rollback' | 'shadow'>;
