/**
 * Imported before anything else in the benchmark: `@forge/api` takes the global `fetch` when
 * it is first loaded, so this must be in place first. Requests to the configured tasksource
 * origin are answered in process (`egress.status`, 200 unless a workload plays an outage) and
 * counted; anything else is refused, so the benchmark can never reach a real host. The answer
 * is a light object with what the app reads (`status`, `headers.get`, the body), not a WHATWG
 * `Response`: building one is transport cost, which the benchmark leaves out.
 */

export const egress = {
  requests: 0,
  status: 200,
  /** Bodies sent while `capturing`, for the CPU floor to serialise and sign the same ones. */
  capturing: false,
  bodies: [] as string[],
};

const TASKSOURCE_ORIGIN = 'https://api.tasksource.io';

(globalThis as { fetch: unknown }).fetch = async (input: unknown, init?: { body?: unknown }) => {
  const url = typeof input === 'string' ? input : String((input as { url?: unknown }).url);
  if (!url.startsWith(`${TASKSOURCE_ORIGIN}/`)) {
    throw new TypeError(`fetch failed: the benchmark sends nowhere but tasksource (${url})`);
  }
  egress.requests += 1;
  if (egress.capturing && typeof init?.body === 'string') egress.bodies.push(init.body);

  const status = egress.status;
  const body = JSON.stringify({ received: status < 300 });
  return {
    status,
    ok: status >= 200 && status <= 299,
    headers: { get: (name: string) => (name.toLowerCase() === 'content-type' ? 'json' : null) },
    text: async () => body,
    json: async () => JSON.parse(body) as unknown,
    arrayBuffer: async () => new ArrayBuffer(0),
  };
};
