/**
 * Faults a scenario injects into the local platform: the next matching requests are answered
 * with an error status (and `Retry-After`, when given) instead of being served, `times` times.
 */

export interface Fault {
  /** What to match: a Jira path such as `/rest/api/2/issue/10001`, or a KVS operation. */
  readonly match: string;
  readonly status: number;
  readonly retryAfter?: number | undefined;
  times: number;
}

export interface FaultAnswer {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Record<string, string>;
}

export class FaultList {
  private readonly faults: Fault[] = [];

  add(faults: readonly Fault[]): void {
    this.faults.push(...faults.map((fault) => ({ ...fault })));
  }

  /** The answer of the first fault matching `key`, counting it down; undefined when none does. */
  take(key: string, body: (fault: Fault) => unknown): FaultAnswer | undefined {
    const fault = this.faults.find((candidate) => candidate.times > 0 && key === candidate.match);
    if (!fault) return undefined;

    fault.times -= 1;
    const headers =
      fault.retryAfter === undefined ? undefined : { 'retry-after': String(fault.retryAfter) };
    return { status: fault.status, body: body(fault), ...(headers ? { headers } : {}) };
  }
}
