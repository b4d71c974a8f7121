// Optional Confluent Schema Registry integration: registers the record's JSON Schema under
// "<topic>-value" so consumers and tools (Control Center) can see the contract. Messages stay
// plain JSON (no magic byte / schema id prefix), so the Spark job reads them with from_json.

import fetch, { type Response } from 'node-fetch';
import { SchemaRegistryError, errorMessage } from './errors.js';
import { recordJsonSchema } from '@streamline/record';

/** The record's JSON Schema, rendered by @streamline/record from the one definition. */
export { recordJsonSchema };

export interface RegisteredSchema {
  readonly subject: string;
  readonly id: number;
}

/**
 * Registers the schema (schemaType JSON). Idempotent: the registry returns the existing id when
 * the same schema is registered again under the subject, so every producer start may call this.
 */
export async function registerRecordSchema(registryUrl: string, topic: string, timeoutMs = 10_000): Promise<RegisteredSchema> {
  const subject = `${topic}-value`;
  const url = `${registryUrl.replace(/\/+$/, '')}/subjects/${encodeURIComponent(subject)}/versions`;
  let res: Response;
  let text: string;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/vnd.schemaregistry.v1+json', accept: 'application/vnd.schemaregistry.v1+json' },
      body: JSON.stringify({ schemaType: 'JSON', schema: JSON.stringify(recordJsonSchema()) }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    text = await res.text();
  } catch (err) {
    throw new SchemaRegistryError(`cannot reach Schema Registry at ${registryUrl}: ${errorMessage(err)}; unset SCHEMA_REGISTRY_URL to run without it`, {
      cause: err,
    });
  }
  if (!res.ok) {
    const hint = res.status === 409 ? ' (incompatible with the schema already registered; check the subject compatibility level)' : '';
    throw new SchemaRegistryError(`Schema Registry refused ${subject}: HTTP ${res.status} ${text.slice(0, 200)}${hint}`);
  }
  let id: unknown;
  try {
    id = (JSON.parse(text) as { id?: unknown }).id;
  } catch {
    id = undefined;
  }
  if (typeof id !== 'number') throw new SchemaRegistryError(`Schema Registry answered without a schema id: ${text.slice(0, 200)}`);
  return { subject, id };
}
