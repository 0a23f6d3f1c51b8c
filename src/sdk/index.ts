export { connect, Gyre } from './gyre.js';
export type { StartRunOptions } from './gyre.js';
export { ActiveRun } from './active-run.js';
export { TrackingService } from '../tracking/tracking-service.js';
export { GyreError } from '../core/errors.js';
export type { ErrorCode } from '../core/errors.js';
export type * from '../tracking/entities.js';
export { verifyDelivery, signDelivery } from '../webhooks/signing.js';
export type * from '../webhooks/entities.js';
