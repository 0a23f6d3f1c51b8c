/** `gyre server`: the whole HTTP API on one port, over the embedded stores (or GYRE_DATABASE_URL). */
import type { Command } from 'commander';
import { resolveConfig } from '../core/config.js';
import { openServices } from '../services.js';
import { buildServer } from '../server/build-server.js';
import { globalOptions } from './context.js';
import { WebhookDispatcher } from '../webhooks/webhook-dispatcher.js';
import { ContinuousTrainer } from '../continuous-training/continuous-trainer.js';
import { gyreOver } from '../sdk/gyre.js';
import { monitoringAlertSink } from '../continuous-training/monitoring-alert-sink.js';
import { servingAlertBridge } from '../serving/serving-alerts.js';
import { pipelineFileRunner } from '../pipelines/pipeline-file-runner.js';
import { MonitorRunner } from '../monitoring/monitor-runner.js';

export const DEFAULT_PORT = 5000;

export function registerServerCommand(program: Command): void {
  program
    .command('server')
    .alias('serve')
    .description('serve the API (native /api/v1, MLflow /api/2.0/mlflow, OIP /v2 for deployments, /metrics, /health) on one port')
    .option('--host <host>', 'interface to bind; there is no authentication yet, so the default is loopback only', '127.0.0.1')
    .option('-p, --port <port>', 'port to listen on (0 picks a free one)', String(DEFAULT_PORT))
    .option('--log-level <level>', 'pino log level: fatal, error, warn, info, debug', 'info')
    .action(async (opts: { host: string; port: string; logLevel: string }, cmd: Command) => {
      const config = resolveConfig({ ...(globalOptions(cmd).home ? { home: globalOptions(cmd).home } : {}), remoteUrl: null });
      const services = await openServices(config);
      const app = await buildServer({ services, logger: { level: opts.logLevel } });
      const address = await app.listen({ host: opts.host, port: Number(opts.port) });
      // Webhook deliveries go out from every server process; leases keep them from doubling up.
      const dispatcher = new WebhookDispatcher(services.webhookStore, services.eventSources, {
        onError: (err) => app.log.error({ err }, 'webhook dispatch cycle failed'),
      });
      dispatcher.start();
      // Deployments load and serve in every server process (OIP at /v2, records at /api/v1/deployments/{name}/predict).
      const servingAlerts = servingAlertBridge(services.monitoring, (err) => app.log.error({ err }, 'serving alert failed'));
      const manager = services.serving.start({
        onEvent: (e) => {
          app.log[e.type === 'model_load_failed' ? 'error' : 'info']({ event: e }, `deployment ${e.deployment}: ${e.type}`);
          servingAlerts(e);
        },
        onError: (err) => app.log.error({ err }, 'serving reconcile failed'),
      });
      // Continuous training: retraining schedules are checked every minute; a promotion is applied at once.
      const trainer = new ContinuousTrainer({
        gyre: gyreOver(services, config),
        inferenceLog: services.serving.inferenceLog,
        store: services.retraining,
        deployments: services.serving.deployments,
        afterPromotion: () => manager.sync(),
        alerts: monitoringAlertSink(services.monitoring),
        runPipeline: pipelineFileRunner(services),
      });
      let retraining = Promise.resolve();
      const retrainTimer = setInterval(() => {
        retraining = retraining.then(() => services.serving.flushLog()).then(() => trainer.tick()).then(() => undefined, (err) => app.log.error({ err }, 'continuous training tick failed'));
      }, 60_000).unref();
      // Monitors evaluate their closed windows; alerts and failures go to the server log.
      services.monitoring.useLog(app.log);
      const monitorRunner = new MonitorRunner(services.monitoring, { onError: (err) => app.log.error({ err }, 'monitor cycle failed') });
      monitorRunner.start();
      // Alerts a retraining policy listens to start a retraining (guard rails apply).
      services.monitoring.onAlert(({ type, alert }) => {
        if (type !== 'alert.raised') return;
        retraining = retraining.then(() => trainer.onAlert({ deployment: alert.deployment, rule: alert.rule })).then(() => undefined, (err) => app.log.error({ err }, 'alert-triggered retraining failed'));
      });
      if (opts.host !== '127.0.0.1' && opts.host !== 'localhost' && opts.host !== '::1') {
        app.log.warn(`listening on ${opts.host}: Gyre has no authentication yet, so anyone who can reach this port can read and write everything`);
      }
      // One line on stdout that scripts (and `gyre run`) can wait for.
      process.stdout.write(`gyre server listening on ${address} (home ${config.home}, database ${config.databaseUrl})\n`);
      let closing = false;
      const shutdown = async () => {
        if (closing) return;
        closing = true;
        clearInterval(retrainTimer);
        await retraining;
        await dispatcher.stop();
        await monitorRunner.stop();
        await app.close(); // finishes in-flight requests first
        await services.serving.stop();
        await services.close();
        process.exit(0);
      };
      process.on('SIGINT', shutdown);
      process.on('SIGTERM', shutdown);
    });
}
