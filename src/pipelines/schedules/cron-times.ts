/** Fire times of a cron expression in a time zone (cron-parser handles DST and zones). */
import { CronExpressionParser } from 'cron-parser';
import { invalidArgument } from '../../core/errors.js';

export function checkCron(cron: string, timezone: string): void {
  try {
    new Intl.DateTimeFormat('en', { timeZone: timezone });
  } catch {
    throw invalidArgument(`'${timezone}' is not a time zone. Use an IANA name such as UTC, Europe/Paris or America/New_York.`, { timezone });
  }
  try {
    CronExpressionParser.parse(cron, { tz: timezone });
  } catch (err) {
    throw invalidArgument(`'${cron}' is not a cron expression (${(err as Error).message}). Use five fields: minute hour day-of-month month day-of-week, e.g. '0 3 * * *'.`, { cron });
  }
}

/** The first fire time strictly after `after`. */
export function nextFireAfter(cron: string, timezone: string, after: number): number {
  return CronExpressionParser.parse(cron, { tz: timezone, currentDate: new Date(after) }).next().getTime();
}

/** Fire times from `from` (inclusive, a fire time itself) up to `until` (inclusive), at most `limit`, oldest first. */
export function fireTimesBetween(cron: string, timezone: string, from: number, until: number, limit: number): number[] {
  const out: number[] = [];
  let t = from;
  while (t <= until) {
    out.push(t);
    if (out.length > limit) out.shift();
    t = nextFireAfter(cron, timezone, t);
  }
  return out;
}
