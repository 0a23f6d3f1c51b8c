export * from './sdk/index.js';
export { buildServer } from './server/build-server.js';
export { openServices } from './services.js';
export type { Services } from './services.js';
export { resolveConfig } from './core/config.js';
export type { GyreConfig } from './core/config.js';
export * from './pipelines/index.js';
