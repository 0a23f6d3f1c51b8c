/**
 * The load generator's HTTP side: node:http over one keep-alive Agent (maxSockets 20), bodies sent
 * as prepared strings, responses read as raw bytes (parsing them would charge the server's figure
 * with the client's JSON.parse; `json: true` parses when a check needs the content).
 */
import http from 'node:http';

export function createClient(port, { maxSockets = 20 } = {}) {
  const agent = new http.Agent({ keepAlive: true, maxSockets });
  function request(method, path, body, { json = false } = {}) {
    return new Promise((resolve, reject) => {
      const t0 = performance.now();
      const headers = body === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
      const req = http.request({ host: '127.0.0.1', port, method, path, agent, headers }, (res) => {
        const chunks = [];
        let bytes = 0;
        res.on('data', (c) => {
          bytes += c.length;
          if (json || res.statusCode !== 200) chunks.push(c);
        });
        res.on('end', () => {
          const ms = performance.now() - t0;
          const text = chunks.length ? Buffer.concat(chunks).toString('utf8') : '';
          if (res.statusCode !== 200) return resolve({ status: res.statusCode, ms, bytes, error: text.slice(0, 500) });
          resolve({ status: 200, ms, bytes, body: json ? JSON.parse(text) : undefined });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      if (body !== undefined) req.write(body);
      req.end();
    });
  }
  return {
    request,
    /** POST a JSON value and parse the JSON answer; throws on a non-200 status. */
    async postJson(path, value) {
      const res = await request('POST', path, JSON.stringify(value), { json: true });
      if (res.status !== 200) throw new Error(`POST ${path} → ${res.status}: ${res.error}`);
      return res.body;
    },
    async getJson(path) {
      const res = await request('GET', path, undefined, { json: true });
      if (res.status !== 200) throw new Error(`GET ${path} → ${res.status}: ${res.error}`);
      return res.body;
    },
    close: () => agent.destroy(),
  };
}
