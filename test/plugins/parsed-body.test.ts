/**
 * The body the front door parsed is the one yoga runs: it is not read or parsed again, and a
 * request yoga would not parse as JSON keeps yoga's own answer.
 */
import { createSchema, createYoga } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import { useParsedBody } from '../../src/plugins/use-parsed-body.js';

const yoga = createYoga<{ parsedBody?: { query: string } }>({
  schema: createSchema({ typeDefs: 'type Query { hello: String }', resolvers: { Query: { hello: () => 'world' } } }),
  plugins: [useParsedBody()],
  logging: false,
});

const post = (body: string, contentType: string, parsedBody?: { query: string }) =>
  yoga.fetch('http://gateway/graphql', { method: 'POST', headers: { 'content-type': contentType, accept: 'application/json' }, body }, { parsedBody });

describe('the front door: a body it parsed', () => {
  it('runs what the front door parsed, without parsing the body again', async () => {
    // The body is not JSON: only the handed-over parse can make this answer.
    const response = await post('not json', 'application/json', { query: '{ hello }' });
    expect(await response.json()).toEqual({ data: { hello: 'world' } });
  });

  it('leaves yoga its parser when none was handed over', async () => {
    const response = await post('not json', 'application/json');
    expect(response.status).toBe(400);
  });

  it('keeps yoga’s answer for a body yoga would not read as JSON', async () => {
    const response = await post('{ hello }', 'text/plain', { query: '{ hello }' });
    expect(response.status).toBe(415);
  });
});
