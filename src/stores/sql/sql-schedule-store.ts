/** ScheduleStore over Kysely, shared by SQLite and PostgreSQL. */
import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../schema.js';
import type { PipelineSchedulesTable, PipelineTriggersTable } from '../pipeline-tables.js';
import type { MissedRunPolicy, Schedule, ScheduleFire, ScheduleStore, TriggerBinding } from '../../pipelines/schedules/schedule-store.js';
import { alreadyExists, notFound } from '../../core/errors.js';
import { isUniqueViolation } from './sql-errors.js';

const toSchedule = (r: Selectable<PipelineSchedulesTable>): Schedule => ({
  name: r.name,
  pipelineFile: r.pipeline_file,
  cron: r.cron,
  timezone: r.timezone,
  missedPolicy: r.missed_policy as MissedRunPolicy,
  nextFireAt: Number(r.next_fire_at),
  createdAt: Number(r.created_at),
});

const toTrigger = (r: Selectable<PipelineTriggersTable>): TriggerBinding => ({
  name: r.name,
  pipelineFile: r.pipeline_file,
  source: r.source,
  filter: JSON.parse(r.filter),
  cursor: Number(r.event_cursor),
  createdAt: Number(r.created_at),
});

export class SqlScheduleStore implements ScheduleStore {
  constructor(private readonly db: Kysely<Database>) {}

  async createSchedule(s: Schedule): Promise<void> {
    try {
      await this.db
        .insertInto('pipeline_schedules')
        .values({ name: s.name, pipeline_file: s.pipelineFile, cron: s.cron, timezone: s.timezone, missed_policy: s.missedPolicy, next_fire_at: s.nextFireAt, created_at: s.createdAt })
        .execute();
    } catch (err) {
      if (isUniqueViolation(err)) throw alreadyExists(`Schedule '${s.name}' already exists. Remove it first, or choose another name.`, { name: s.name });
      throw err;
    }
  }

  async getSchedule(name: string): Promise<Schedule> {
    const row = await this.db.selectFrom('pipeline_schedules').selectAll().where('name', '=', name).executeTakeFirst();
    if (!row) throw notFound(`No schedule '${name}'. List them with 'gyre pipelines schedule list'.`, { name });
    return toSchedule(row);
  }

  async listSchedules(): Promise<Schedule[]> {
    return (await this.db.selectFrom('pipeline_schedules').selectAll().orderBy('name').execute()).map(toSchedule);
  }

  async deleteSchedule(name: string): Promise<void> {
    const r = await this.db.deleteFrom('pipeline_schedules').where('name', '=', name).executeTakeFirst();
    if (Number(r.numDeletedRows) === 0) throw notFound(`No schedule '${name}'.`, { name });
  }

  async recordFires(name: string, expectedNext: number, fires: ScheduleFire[], next: number): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const moved = await trx.updateTable('pipeline_schedules').set({ next_fire_at: next }).where('name', '=', name).where('next_fire_at', '=', expectedNext).executeTakeFirst();
      if (Number(moved.numUpdatedRows) === 0) return false;
      if (fires.length) {
        await trx
          .insertInto('pipeline_schedule_fires')
          .values(fires.map((f) => ({ schedule: f.schedule, fire_at: f.fireAt, run_id: f.runId, recorded_at: f.recordedAt })))
          .onConflict((oc) => oc.columns(['schedule', 'fire_at']).doNothing())
          .execute();
      }
      return true;
    });
  }

  async unstartedFires(): Promise<ScheduleFire[]> {
    const rows = await this.db
      .selectFrom('pipeline_schedule_fires as f')
      .leftJoin('pipeline_runs as r', 'r.run_id', 'f.run_id')
      .select(['f.schedule', 'f.fire_at', 'f.run_id', 'f.recorded_at'])
      .where('r.run_id', 'is', null)
      .orderBy('f.fire_at')
      .execute();
    return rows.map((r) => ({ schedule: r.schedule, fireAt: Number(r.fire_at), runId: r.run_id!, recordedAt: Number(r.recorded_at) }));
  }

  async listFires(schedule: string): Promise<ScheduleFire[]> {
    const rows = await this.db.selectFrom('pipeline_schedule_fires').selectAll().where('schedule', '=', schedule).orderBy('fire_at').execute();
    return rows.map((r) => ({ schedule: r.schedule, fireAt: Number(r.fire_at), runId: r.run_id!, recordedAt: Number(r.recorded_at) }));
  }

  async createTrigger(t: TriggerBinding): Promise<void> {
    try {
      await this.db
        .insertInto('pipeline_triggers')
        .values({ name: t.name, pipeline_file: t.pipelineFile, source: t.source, filter: JSON.stringify(t.filter), event_cursor: t.cursor, created_at: t.createdAt })
        .execute();
    } catch (err) {
      if (isUniqueViolation(err)) throw alreadyExists(`Trigger '${t.name}' already exists. Remove it first, or choose another name.`, { name: t.name });
      throw err;
    }
  }

  async getTrigger(name: string): Promise<TriggerBinding> {
    const row = await this.db.selectFrom('pipeline_triggers').selectAll().where('name', '=', name).executeTakeFirst();
    if (!row) throw notFound(`No trigger '${name}'. List them with 'gyre pipelines trigger list'.`, { name });
    return toTrigger(row);
  }

  async listTriggers(): Promise<TriggerBinding[]> {
    return (await this.db.selectFrom('pipeline_triggers').selectAll().orderBy('name').execute()).map(toTrigger);
  }

  async deleteTrigger(name: string): Promise<void> {
    const r = await this.db.deleteFrom('pipeline_triggers').where('name', '=', name).executeTakeFirst();
    if (Number(r.numDeletedRows) === 0) throw notFound(`No trigger '${name}'.`, { name });
  }

  async advanceTrigger(name: string, expected: number, next: number): Promise<boolean> {
    const r = await this.db.updateTable('pipeline_triggers').set({ event_cursor: next }).where('name', '=', name).where('event_cursor', '=', expected).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }
}
