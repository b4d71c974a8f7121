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

/** Switches a DAG on (`paused: false`) or off, as the toggle in Airflow's UI does. */
export async function setDagPaused(config: StackConfig, dagId: string, paused: boolean, token?: string): Promise<void> {
  const bearer = token ?? (await airflowToken(config));
  const res = await fetch(`${baseUrl(config)}/api/v2/dags/${encodeURIComponent(dagId)}`, {
    method: 'PATCH',
    headers: { Authorization: `Bearer ${bearer}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ is_paused: paused }),
    signal: AbortSignal.timeout(10_000),
  });
  if (!res.ok)
    throw new AirflowApiError(`Airflow could not ${paused ? 'pause' : 'unpause'} ${dagId} (HTTP ${res.status}): ${(await res.text()).slice(0, 200)}`);
}
