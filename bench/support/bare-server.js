/**
 * The serving benchmark's baseline: a plain node:http server that reads the POST body, parses it
 * as JSON, and answers a fixed JSON body of the same size as Gyre's answer — everything a model
 * server must do except the model and the protocol. Runs in its own process (fork), like Gyre's.
 */
import http from 'node:http';
import { fork } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';

const SELF = fileURLToPath(import.meta.url);

export async function startBareServer(responseBody) {
  const child = fork(SELF, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  child.send({ responseBody });
  const port = await new Promise((resolve, reject) => {
    child.once('message', (m) => (m?.port ? resolve(m.port) : reject(new Error(String(m)))));
    child.once('exit', (code) => reject(new Error(`bare server exited ${code}`)));
  });
  return { port, stop: () => new Promise((r) => (child.once('exit', r), child.kill())) };
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  process.once('message', ({ responseBody }) => {
    const body = Buffer.from(responseBody);
    const server = http.createServer((req, res) => {
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        JSON.parse(Buffer.concat(chunks).toString('utf8'));
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
        res.end(body);
      });
    });
    server.keepAliveTimeout = 60_000;
    server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
    process.on('disconnect', () => process.exit(0));
  });
}
