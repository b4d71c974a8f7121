// spark.conf: the session's runtime SQL configuration, via the Config RPC.
import type { SparkSession } from './session.js';

export class RuntimeConfig {
  constructor(private readonly session: SparkSession) {}

  async set(key: string, value: string | number | boolean): Promise<void> {
    await this.session.config({ case: 'set', value: { pairs: [{ key, value: String(value) }] } });
  }

  /**
   * The value of `key`. With a default, returns it when the key is unset; without one, rejects
   * (as Spark does) for keys that have no value and no default.
   */
  async get(key: string, defaultValue?: string): Promise<string | undefined> {
    const r =
      defaultValue === undefined
        ? await this.session.config({ case: 'get', value: { keys: [key] } })
        : await this.session.config({ case: 'getWithDefault', value: { pairs: [{ key, value: defaultValue }] } });
    return r.pairs[0]?.value;
  }

  /** The value of `key`, or undefined when it has none (never throws for unknown keys). */
  async getOption(key: string): Promise<string | undefined> {
    const r = await this.session.config({ case: 'getOption', value: { keys: [key] } });
    return r.pairs[0]?.value;
  }

  /**
   * All set confs, optionally only those whose key starts with `prefix`. Keys are always full keys
   * (the server strips the prefix; we put it back so results do not depend on the argument).
   */
  async getAll(prefix?: string): Promise<Record<string, string>> {
    const r = await this.session.config({ case: 'getAll', value: prefix !== undefined ? { prefix } : {} });
    return Object.fromEntries(r.pairs.map((p) => [`${prefix ?? ''}${p.key}`, p.value ?? '']));
  }

  async unset(key: string): Promise<void> {
    await this.session.config({ case: 'unset', value: { keys: [key] } });
  }

  async isModifiable(key: string): Promise<boolean> {
    const r = await this.session.config({ case: 'isModifiable', value: { keys: [key] } });
    return r.pairs[0]?.value === 'true';
  }
}
