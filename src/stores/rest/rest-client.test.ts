/** What the REST client says before anything is sent. */
import { describe, expect, it } from 'vitest';
import { RestClient } from './rest-client.js';

describe('RestClient', () => {
  it('refuses a user name an HTTP header cannot carry, saying so rather than blaming the server', async () => {
    // Port 9 (discard): nothing listens; the request must be refused before any connection.
    const client = new RestClient('http://127.0.0.1:9');
    await expect(client.json('GET', '/deployments', undefined, undefined, { 'x-gyre-user': '张伟' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringContaining('GYRE_USER') });
    await expect(client.json('GET', '/deployments', undefined, undefined, { 'x-gyre-user': 'Zoë' })).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });
});
