/**
 * In-process subscription to alerts: the hook a retraining policy (or anything else in the server)
 * listens on, beside the `monitoring` webhook event source. Listeners run after the alert is stored;
 * a throwing listener is reported and never stops the others or the monitor.
 */
import type { Alert, MonitoringEventType } from '../monitors/entities.js';

export interface AlertEvent {
  type: MonitoringEventType;
  alert: Alert;
}

export type AlertListener = (event: AlertEvent) => void | Promise<void>;

export class AlertNotifier {
  private readonly listeners = new Set<AlertListener>();

  constructor(private readonly onListenerError: (err: unknown) => void = () => {}) {}

  /** Returns the function that unsubscribes. */
  subscribe(listener: AlertListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async emit(event: AlertEvent): Promise<void> {
    for (const l of this.listeners) {
      try {
        await l(event);
      } catch (err) {
        this.onListenerError(err);
      }
    }
  }
}
