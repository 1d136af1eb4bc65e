import type { ReplayLine, StepReport } from './run-scenario';
import type { SingleStep } from './scenario';

/**
 * The demo's readable table: each Jira change, then what tasksource received for it, or why
 * nothing was sent.
 */

export function formatTable(steps: readonly StepReport[]): string {
  const rows = steps.map((report) => ({
    step: String(report.index + 1),
    change: changeOf(report),
    outcome: outcomeOf(report),
  }));
  const header = { step: '#', change: 'Jira change', outcome: 'tasksource received' };
  const stepWidth = Math.max(...[header, ...rows].map((row) => row.step.length));
  const changeWidth = Math.max(...[header, ...rows].map((row) => row.change.length));
  const line = (row: typeof header) =>
    `${row.step.padEnd(stepWidth)}  ${row.change.padEnd(changeWidth)}  ${row.outcome}`.trimEnd();

  return [header, ...rows].map(line).join('\n');
}

function changeOf(report: StepReport): string {
  const { step } = report;
  if ('parallel' in step)
    return `At once: ${step.note ?? step.parallel.map(describeStep).join(' + ')}`;
  return step.note ? `${prefixOf(step)}${step.note}` : `${prefixOf(step)}${describeStep(step)}`;
}

function prefixOf(step: SingleStep): string {
  if ('jira' in step) return 'Jira: ';
  if ('resolve' in step) return 'Page: ';
  if ('receiver' in step || 'kvs' in step) return 'Fault: ';
  if ('advance' in step) return 'Time: ';
  return '  event ';
}

function describeStep(step: SingleStep): string {
  if ('jira' in step) {
    const issues = Object.keys(step.jira.issues ?? {}).length;
    const faults = step.jira.faults?.length ?? 0;
    const projects = Object.keys(step.jira.projectProperties ?? {}).length;
    return [
      issues ? `${issues} issue(s) changed` : '',
      faults ? `${faults} fault(s) injected` : '',
      projects ? `properties of ${projects} project(s) changed` : '',
    ]
      .filter(Boolean)
      .join(', ');
  }
  if ('resolve' in step) {
    const who =
      step.resolve.as.permissions.length > 0
        ? step.resolve.as.permissions.join('+')
        : 'no permissions';
    return `${step.resolve.call} (as ${who})`;
  }
  if ('receiver' in step) return `tasksource answers ${JSON.stringify(step.receiver)}`;
  if ('kvs' in step)
    return `KVS faults ${step.kvs.faults.map((fault) => `${fault.op} ${fault.status}`).join(', ')}`;
  if ('advance' in step) return `+${duration(step.advance.seconds)}`;
  return String(step.event.eventType);
}

function outcomeOf(report: StepReport): string {
  const { step } = report;
  if ('jira' in step || 'receiver' in step || 'kvs' in step) return '';
  if (report.lines.length === 0) return 'nothing';

  // Work that ran later than its step shows when it ran.
  const timed = 'advance' in step;
  const describe = (line: ReplayLine) =>
    timed && 'at' in line ? `${clockOf(line.at)} ${describeLine(line)}` : describeLine(line);
  if (report.lines.length <= LINES_IN_FULL) return report.lines.map(describe).join('; ');

  // A long outage makes hundreds of attempts: the first and last few, and a count between.
  const head = report.lines.slice(0, EDGE_LINES).map(describe);
  const middle = report.lines.slice(EDGE_LINES, -EDGE_LINES);
  const tail = report.lines.slice(-EDGE_LINES).map(describe);
  return [...head, `… ${countLines(middle)} …`, ...tail].join('; ');
}

const LINES_IN_FULL = 12;
const EDGE_LINES = 3;

function countLines(lines: readonly ReplayLine[]): string {
  const statuses = new Map<string, number>();
  const kinds = new Map<string, number>();
  for (const line of lines) {
    if (line.type === 'delivery') {
      const status = line.status === null ? (line.failure ?? 'no answer') : `HTTP ${line.status}`;
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    } else {
      kinds.set(line.type, (kinds.get(line.type) ?? 0) + 1);
    }
  }
  const sent = [...statuses].map(([status, count]) => `${count} × ${status}`);
  const other = [...kinds].map(([kind, count]) => `${count} ${kind}`);
  return [`${lines.length} more`, ...sent, ...other].join(', ');
}

function describeLine(line: ReplayLine): string {
  switch (line.type) {
    case 'delivery': {
      const body = line.body as {
        webhookEvent?: string;
        issue?: { key?: string };
        tasksource?: { state?: string; reason?: string };
      };
      const state = body.tasksource?.reason
        ? `${body.tasksource.state}: ${body.tasksource.reason}`
        : body.tasksource?.state;
      const signed = !line.headers['webhook-signature']
        ? 'unsigned'
        : line.verified
          ? 'signatures ok'
          : 'signatures DO NOT verify';
      const subject = body.issue?.key ? `${body.issue.key} (${state})` : '(test event)';
      return `${body.webhookEvent} ${subject} -> HTTP ${line.status}, ${signed}`;
    }
    case 'filtered':
      return `nothing, the app was not invoked: ${line.detail}`;
    case 'filter-error':
      return `delivered to the app: ${line.detail}`;
    case 'skip':
      return `nothing: ${line.detail}`;
    case 'retry':
      return `failed, Forge retries${line.queue ? ' the queue event' : ''} in ${line.retryAfter} s`;
    case 'error':
      return `error: ${line.message}`;
    case 'queued':
      return `queued${line.sequence === null ? '' : ` as #${line.sequence}`}: ${line.detail}`;
    case 'queue':
      if (line.outcome === 'reconciled') return 'reconciliation ran from the queue';
      return `queue event ${line.outcome}${line.issueId ? ` (issue ${line.issueId})` : ''}`;
    case 'scheduled':
      return `${line.key} ran: ${summarise(line.outcome)}`;
    case 'deadletter':
      return `dead letter ${String(line.deliveryId ?? line.key)}: ${String(line.reason ?? '?')}${line.detail ? ` (${String(line.detail)})` : ''}`;
    case 'resolve':
      return line.ok
        ? describeAnswer(line.call, line.data)
        : `refused: ${describeError(line.error)}`;
  }
}

/** What a page would show after the call, in a few words. */
function describeAnswer(call: string, data: unknown): string {
  const answer = (data ?? {}) as {
    message?: unknown;
    signingSecretMasked?: unknown;
    labels?: unknown;
    deadLetters?: unknown;
    deliveries?: unknown;
    resent?: unknown;
    remaining?: unknown;
    issueKey?: unknown;
  };
  if (Array.isArray(answer.deadLetters) && Array.isArray(answer.deliveries)) {
    return `${answer.deadLetters.length} dead letters, ${answer.deliveries.length} deliveries listed`;
  }
  if (typeof answer.resent === 'number') {
    return `resent ${answer.resent}, ${String(answer.remaining ?? 0)} left`;
  }
  if (answer.resent === true) return `resent ${String(answer.issueKey)}`;
  if (typeof answer.message === 'string') return answer.message;
  if (call.endsWith('/rotate-secret') && typeof answer.signingSecretMasked === 'string') {
    return `new signing secret shown once, then masked (${answer.signingSecretMasked})`;
  }
  if (call.endsWith('/save') && Array.isArray(answer.labels)) {
    return `saved${answer.labels.length > 0 ? `: labels ${answer.labels.join(', ')}` : ''}`;
  }
  return call.endsWith('/save') ? 'saved' : 'answered';
}

function describeError(error: unknown): string {
  const { message, fields } = (error ?? {}) as {
    message?: unknown;
    fields?: Record<string, unknown>;
  };
  const named = Object.entries(fields ?? {}).map(([field, text]) => `${field}: ${String(text)}`);
  if (named.length === 0) return String(message);

  const shown = named.slice(0, 2).join('; ');
  return named.length > 2 ? `${shown} (+${named.length - 2} more)` : shown;
}

/** `3600` as `1 h`, `90` as `1 min 30 s`. */
function duration(seconds: number): string {
  const parts: [number, string][] = [
    [Math.floor(seconds / 86_400), 'd'],
    [Math.floor((seconds % 86_400) / 3_600), 'h'],
    [Math.floor((seconds % 3_600) / 60), 'min'],
    [seconds % 60, 's'],
  ];
  return parts
    .filter(([amount]) => amount > 0)
    .map(([amount, unit]) => `${amount} ${unit}`)
    .join(' ');
}

/** The time of day of an ISO time, `10:15:00`. */
/** Day and time (UTC), so a row spanning days still reads in order. */
function clockOf(at: string): string {
  return `${at.slice(5, 10)} ${at.slice(11, 19)}`;
}

function summarise(outcome: unknown): string {
  const { outcome: kind, reason } = (outcome ?? {}) as { outcome?: unknown; reason?: unknown };
  if (typeof kind !== 'string') return JSON.stringify(outcome) ?? 'nothing';

  return typeof reason === 'string' ? `${kind} (${reason})` : kind;
}
