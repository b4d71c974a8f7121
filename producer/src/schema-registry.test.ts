import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SchemaRegistryError } from './errors.js';
import { recordJsonSchema, registerRecordSchema } from './schema-registry.js';
import { RECORD_FIELDS } from './transform.js';

let server: Server | undefined;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

/** A tiny registry double: same schema => same id, like Confluent's. */
async function registry(status = 200): Promise<{ url: string; bodies: { path: string; body: Record<string, unknown> }[] }> {
  const bodies: { path: string; body: Record<string, unknown> }[] = [];
  const ids = new Map<string, number>();
  server = createServer(async (req: IncomingMessage, res) => {
    let text = '';
    for await (const chunk of req) text += String(chunk);
    const body = JSON.parse(text) as Record<string, unknown>;
    bodies.push({ path: req.url ?? '', body });
    if (status !== 200) {
      res.writeHead(status).end('{"error_code":409,"message":"incompatible"}');
      return;
    }
    const key = String(body.schema);
    if (!ids.has(key)) ids.set(key, ids.size + 1);
    res.writeHead(200, { 'content-type': 'application/vnd.schemaregistry.v1+json' }).end(JSON.stringify({ id: ids.get(key) }));
  });
  await new Promise<void>((r) => server?.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, bodies };
}

describe('recordJsonSchema', () => {
  it('requires every record field with its JSON type', () => {
    const s = recordJsonSchema() as { properties: Record<string, { type: string; format?: string }>; required: string[] };
    expect(s.required).toEqual(RECORD_FIELDS.map((f) => f.name));
    expect(s.properties.id).toMatchObject({ type: 'string', format: 'uuid' });
    expect(s.properties.latitude).toEqual({ type: 'number', minimum: -90, maximum: 90 });
    expect(s.properties.produced_at).toMatchObject({ type: 'string', format: 'date-time' });
  });
});

describe('registerRecordSchema', () => {
  it('registers under <topic>-value with schemaType JSON, idempotently', async () => {
    const reg = await registry();
    const a = await registerRecordSchema(reg.url, 'users_created');
    const b = await registerRecordSchema(reg.url, 'users_created');
    expect(a).toEqual({ subject: 'users_created-value', id: 1 });
    expect(b).toEqual(a);
    expect(reg.bodies[0]?.path).toBe('/subjects/users_created-value/versions');
    expect(reg.bodies[0]?.body.schemaType).toBe('JSON');
  });

  it('explains refusals and unreachable registries', async () => {
    const reg = await registry(409);
    await expect(registerRecordSchema(reg.url, 't')).rejects.toThrow(/HTTP 409.*compatibility/);
    const err = await registerRecordSchema('http://127.0.0.1:9', 't', 500).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SchemaRegistryError);
    expect((err as Error).message).toMatch(/cannot reach Schema Registry.*unset SCHEMA_REGISTRY_URL/);
  });
});
