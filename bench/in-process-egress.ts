/**
 * Imported before anything else in the benchmark: `@forge/api` takes the global `fetch` when
 * it is first loaded, so this must be in place first. Requests to the configured tasksource
 * origin are answered in process (`egress.status`, 200 unless a workload plays an outage) and
 * counted; anything else is refused, so the benchmark can never reach a real host.
 */

export const egress = { requests: 0, status: 200 };

const TASKSOURCE_ORIGIN = 'https://api.tasksource.io';

(globalThis as { fetch: unknown }).fetch = async (input: unknown) => {
  const url = typeof input === 'string' ? input : String((input as { url?: unknown }).url);
  if (!url.startsWith(`${TASKSOURCE_ORIGIN}/`)) {
    throw new TypeError(`fetch failed: the benchmark sends nowhere but tasksource (${url})`);
  }
  egress.requests += 1;
  return new Response('{"received":true}', { status: egress.status });
};
