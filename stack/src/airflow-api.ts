// The few calls of Airflow's REST API the project makes: log in (simple auth manager), switch the
// producer DAG on or off. The demo uses them; so would anything that drives Airflow headless.
import { errorKind } from '@streamline/core';
import type { StackConfig } from './config.js';

function baseUrl(config: StackConfig): string {
  return `http://${config.host}:${config.ports.airflow}`;
}

/** Airflow's API refused or failed a call (it may still be starting). */
export class AirflowApiError extends errorKind({ exitCode: 1, retriable: true }) {}

/** A bearer token for the admin user of AIRFLOW_ADMIN_USERNAME / AIRFLOW_ADMIN_PASSWORD. */
export async function airflowToken(config: StackConfig): Promise<string> {
  const res = await fetch(`${baseUrl(config)}/auth/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: config.airflow.username, password: config.airflow.password }),
    signal: AbortSignal.timeout(10_000),
  });
  if (!res.ok)
    throw new AirflowApiError(
      `Airflow at ${baseUrl(config)} refused the login of ${config.airflow.username} (HTTP ${res.status}): check AIRFLOW_ADMIN_USERNAME / AIRFLOW_ADMIN_PASSWORD`,
    );
  return ((await res.json()) as { access_token: string }).access_token;
}

/** How long a DAG file may take to show up after Airflow started: the DAG processor parses dags/ on its own schedule. */
const DAG_PARSE_TIMEOUT_MS = 180_000;

/**
 * Switches a DAG on (`paused: false`) or off, as the toggle in Airflow's UI does. Right after Airflow
 * starts, the DAG processor may not have parsed the file yet (the API answers 404): that is waited for,
 * up to DAG_PARSE_TIMEOUT_MS, rather than reported as an error.
 */
export async function setDagPaused(config: StackConfig, dagId: string, paused: boolean, token?: string): Promise<void> {
  const bearer = token ?? (await airflowToken(config));
  const deadline = Date.now() + DAG_PARSE_TIMEOUT_MS;
  for (;;) {
    const res = await fetch(`${baseUrl(config)}/api/v2/dags/${encodeURIComponent(dagId)}`, {
      method: 'PATCH',
      headers: { Authorization: `Bearer ${bearer}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ is_paused: paused }),
      signal: AbortSignal.timeout(10_000),
    });
    if (res.ok) return;
    const detail = (await res.text()).slice(0, 200);
    if (res.status !== 404 || Date.now() >= deadline) {
      const why = res.status === 404 ? ` (not parsed ${DAG_PARSE_TIMEOUT_MS / 1000} s after the first try: see the DAG processor's log)` : '';
      throw new AirflowApiError(`Airflow could not ${paused ? 'pause' : 'unpause'} ${dagId} (HTTP ${res.status})${why}: ${detail}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
}
