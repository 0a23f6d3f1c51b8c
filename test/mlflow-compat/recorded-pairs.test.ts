/**
 * Replays recorded MLflow REST request/response pairs (fixtures/*.json) against a fresh Gyre server
 * per file. The pairs were written from MLflow's REST API reference (docs/api_reference rest-api,
 * mlflow/protos/service.proto) and its server and client code (mlflow/server/handlers.py,
 * mlflow/store/tracking/rest_store.py, mlflow/tracking/_tracking_service/client.py); each step's
 * optional "source" says which part it was written from.
 *
 * Fixture format: a JSON array of steps, run in order.
 *   { "name", "source"?, "exact"?,
 *     "request":  { "method", "path", "query"?, "body"?, "rawBody"?, "headers"? },
 *     "response": { "status", "body"? } }
 * - query: { key: value | [values] } — an array becomes repeated keys (MLflow's list encoding).
 * - body: JSON, sent as application/json unless headers say otherwise; rawBody: a string sent as is.
 * - Request and expected bodies may use two generators, so limit tests need no megabyte fixtures:
 *   { "$repeat": N, "template": T } → N copies of T with "{{$i}}" in strings replaced by 0..N-1;
 *   { "$string": S, "times": N } → S repeated N times.
 * - "{{NAME}}" in request and expected strings is replaced by a value captured earlier; a string
 *   that is exactly "{{NAME}}" becomes the captured value itself (so numbers stay numbers).
 * Expected bodies match structurally: objects need at least the listed fields (exactly those when
 * the step says "exact": true), arrays match element-wise with equal length, or, when the first
 * element is "<includes>", each remaining element must match some element of the actual array.
 * Placeholders: "<any>", "<string>", "<number>", "<absent>" (field must not be present) and
 * "<capture:NAME>" (any present value, stored as NAME). A non-JSON response body is its text.
 *
 * Requests go through app.inject, except a path with a literal "." or ".." segment: light-my-request
 * resolves those through WHATWG URL (as browsers, curl and urllib3 do) before the server sees
 * them, so such a step is sent as written over a real socket to test what a raw client can send.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { openServices } from '../../src/services.js';
import type { Services } from '../../src/services.js';
import { buildServer } from '../../src/server/build-server.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH' | 'HEAD' | 'OPTIONS';

interface Step {
  name: string;
  source?: string;
  exact?: boolean;
  request: {
    method: HttpMethod;
    path: string;
    query?: Record<string, string | number | Array<string | number>>;
    body?: Json;
    rawBody?: string;
    headers?: Record<string, string>;
  };
  response: { status: number; body?: Json };
}

type Captures = Map<string, Json>;

const FIXTURES_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
// Traversal fixtures aim files with this name outside the store; none may ever appear.
const ESCAPE_MARKER = 'escaped-by-traversal';

// ---- request building ----

/** Expands the "$repeat" and "$string" generators. */
function expand(value: Json, index?: number): Json {
  if (typeof value === 'string') return index === undefined ? value : value.split('{{$i}}').join(String(index));
  if (Array.isArray(value)) return value.map((v) => expand(v, index));
  if (value && typeof value === 'object') {
    if ('$repeat' in value) {
      const times = value.$repeat as number;
      return Array.from({ length: times }, (_, i) => expand(value.template, i));
    }
    if ('$string' in value) return (expand(value.$string, index) as string).repeat(value.times as number);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, expand(v, index)]));
  }
  return value;
}

const WHOLE_CAPTURE = /^\{\{([A-Za-z_][\w]*)\}\}$/;
const CAPTURE_REF = /\{\{([A-Za-z_][\w]*)\}\}/g;

function captured(captures: Captures, name: string): Json {
  if (!captures.has(name)) throw new Error(`Capture '${name}' is used before any step captured it.`);
  return captures.get(name) as Json;
}

function substitute(value: Json, captures: Captures): Json {
  if (typeof value === 'string') {
    const whole = WHOLE_CAPTURE.exec(value);
    if (whole) return captured(captures, whole[1]);
    return value.replace(CAPTURE_REF, (_, name: string) => String(captured(captures, name)));
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, captures));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, captures)]));
  return value;
}

const interpolate = (s: string, captures: Captures): string => s.replace(CAPTURE_REF, (_, name: string) => String(captured(captures, name)));

function buildUrl(step: Step, captures: Captures): string {
  const url = interpolate(step.request.path, captures);
  const query = step.request.query;
  if (!query) return url;
  const params = new URLSearchParams();
  for (const [key, raw] of Object.entries(query)) {
    for (const v of Array.isArray(raw) ? raw : [raw]) params.append(key, interpolate(String(v), captures));
  }
  return `${url}${url.includes('?') ? '&' : '?'}${params.toString()}`;
}

// ---- response matching ----

function typeName(v: unknown): string {
  return v === undefined ? 'absent' : v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

function show(v: unknown): string {
  const text = JSON.stringify(v);
  return text === undefined ? 'absent' : text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/** Returns the mismatches between expected and actual (empty when they match) and fills captures. */
function match(expected: Json, actual: unknown, at: string, exact: boolean, captures: Captures): string[] {
  if (typeof expected === 'string' && expected.startsWith('<') && expected.endsWith('>')) {
    const capture = /^<capture:([A-Za-z_]\w*)>$/.exec(expected);
    if (capture) {
      if (actual === undefined) return [`${at}: expected a value to capture as '${capture[1]}', got nothing`];
      captures.set(capture[1], actual as Json);
      return [];
    }
    switch (expected) {
      case '<any>':
        return actual === undefined ? [`${at}: expected a value, got nothing`] : [];
      case '<string>':
        return typeof actual === 'string' ? [] : [`${at}: expected a string, got ${typeName(actual)} ${show(actual)}`];
      case '<number>':
        return typeof actual === 'number' ? [] : [`${at}: expected a JSON number, got ${typeName(actual)} ${show(actual)}`];
      case '<absent>':
        return actual === undefined ? [] : [`${at}: expected no such field, got ${show(actual)}`];
      default:
        break; // a literal string that merely looks like a placeholder
    }
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [`${at}: expected an array, got ${typeName(actual)} ${show(actual)}`];
    if (expected[0] === '<includes>') {
      const errors: string[] = [];
      expected.slice(1).forEach((item, i) => {
        const found = actual.some((candidate) => match(item, candidate, at, exact, new Map(captures)).length === 0);
        if (!found) errors.push(`${at}: no element matches expected item ${i} ${show(item)} in ${show(actual)}`);
        else {
          // Re-run on the first match so its captures are kept.
          const hit = actual.find((candidate) => match(item, candidate, at, exact, new Map(captures)).length === 0);
          match(item, hit, at, exact, captures);
        }
      });
      return errors;
    }
    if (actual.length !== expected.length) return [`${at}: expected ${expected.length} elements, got ${actual.length}: ${show(actual)}`];
    return expected.flatMap((item, i) => match(item, actual[i], `${at}[${i}]`, exact, captures));
  }
  if (expected && typeof expected === 'object') {
    if (!actual || typeof actual !== 'object' || Array.isArray(actual)) return [`${at}: expected an object, got ${typeName(actual)} ${show(actual)}`];
    const obj = actual as Record<string, unknown>;
    const errors = Object.entries(expected).flatMap(([key, value]) => match(value, obj[key], `${at}.${key}`, exact, captures));
    if (exact) {
      for (const key of Object.keys(obj)) if (!(key in expected)) errors.push(`${at}.${key}: unexpected field (step is exact) with ${show(obj[key])}`);
    }
    return errors;
  }
  // Resolved here, not before matching, so a value captured earlier in the same body can be used.
  const wanted = typeof expected === 'string' ? substitute(expected, captures) : expected;
  return Object.is(wanted, actual) ? [] : [`${at}: expected ${show(wanted)}, got ${typeName(actual)} ${show(actual)}`];
}

// ---- transport ----

interface RawResponse {
  statusCode: number;
  headers: Record<string, unknown>;
  payload: string;
}

const DOT_SEGMENT = /(^|\/)\.\.?(\/|$)/;

/** Sends the request byte-for-byte as written (no URL normalisation) to a listening server. */
async function sendOverSocket(app: FastifyInstance, method: string, url: string, headers: Record<string, string>, payload?: string): Promise<RawResponse> {
  if (!app.server.listening) await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: url, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ statusCode: res.statusCode ?? 0, headers: res.headers, payload: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}

// ---- the traversal guard ----

function findEscaped(dir: string, recursive: boolean): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((e) => {
    const full = path.join(dir, e.name);
    const hits = e.name.includes(ESCAPE_MARKER) ? [full] : [];
    return recursive && e.isDirectory() ? [...hits, ...findEscaped(full, true)] : hits;
  });
}

// ---- the suite ----

const fixtureFiles = fs
  .readdirSync(FIXTURES_DIR)
  .filter((f) => f.endsWith('.json'))
  .sort();

describe('MLflow REST API recorded pairs', () => {
  it('has fixtures', () => expect(fixtureFiles.length).toBeGreaterThan(0));

  for (const file of fixtureFiles) {
    const steps = JSON.parse(fs.readFileSync(path.join(FIXTURES_DIR, file), 'utf8')) as Step[];

    describe.sequential(file, () => {
      let root: string;
      let services: Services;
      let app: FastifyInstance;
      const captures: Captures = new Map();
      let failedAt: string | null = null;

      beforeAll(async () => {
        root = fs.mkdtempSync(path.join(os.tmpdir(), 'gyre-mlflow-pairs-'));
        const home = path.join(root, 'home');
        fs.mkdirSync(home);
        services = await openServices({ home, databaseUrl: `sqlite:${home}/gyre.db`, artifactsUrl: 'file:' });
        app = await buildServer({ services });
        await app.ready();
      });

      afterAll(async () => {
        await app?.close();
        await services?.close();
        // Checked before cleanup: a traversal that got through would have left its file here.
        const escaped = root ? [...findEscaped(root, true), ...findEscaped(os.tmpdir(), false)] : [];
        if (root) fs.rmSync(root, { recursive: true, force: true });
        expect(escaped, 'files written outside the artifact store by a traversal path').toEqual([]);
      });

      steps.forEach((step, index) => {
        it(`${String(index + 1).padStart(2, '0')} ${step.name}`, async () => {
          if (failedAt) throw new Error(`skipped: step '${failedAt}' failed earlier in this scenario`);
          try {
            const { method, body, rawBody } = step.request;
            const headers: Record<string, string> = {};
            for (const [k, v] of Object.entries(step.request.headers ?? {})) headers[k.toLowerCase()] = interpolate(v, captures);
            let payload: string | undefined;
            if (rawBody !== undefined) payload = interpolate(rawBody, captures);
            else if (body !== undefined) {
              payload = JSON.stringify(substitute(expand(body), captures));
              headers['content-type'] ??= 'application/json';
            }
            const url = buildUrl(step, captures);
            const res: RawResponse = DOT_SEGMENT.test(url.split('?')[0])
              ? await sendOverSocket(app, method, url, headers, payload)
              : await app.inject({ method, url, headers, ...(payload !== undefined ? { payload } : {}) });

            const isJson = String(res.headers['content-type'] ?? '').includes('json');
            let actualBody: unknown = res.payload;
            if (isJson && res.payload !== '') actualBody = JSON.parse(res.payload) as unknown;

            const errors: string[] = [];
            if (res.statusCode !== step.response.status) errors.push(`status: expected ${step.response.status}, got ${res.statusCode}`);
            if (step.response.body !== undefined) {
              errors.push(...match(expand(step.response.body), actualBody, 'body', step.exact === true, captures));
            }
            if (errors.length) {
              throw new Error(`${method} ${url.slice(0, 160)}\n  ${errors.join('\n  ')}\n  response: ${res.payload.slice(0, 600)}`);
            }
          } catch (err) {
            failedAt = step.name;
            throw err;
          }
        });
      });
    });
  }
});
