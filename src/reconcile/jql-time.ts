/**
 * JQL compares dates written `yyyy/MM/dd HH:mm`, read in the time zone of whoever runs the
 * query (for the app, the app user's profile). Minutes are the finest unit JQL takes, so a
 * time is rounded down: a window's ends are then never later than asked for.
 */
export function formatJqlTime(epochMillis: number, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(new Date(epochMillis));
  const part = (type: Intl.DateTimeFormatPartTypes) =>
    parts.find((candidate) => candidate.type === type)?.value ?? '00';

  return `${part('year')}/${part('month')}/${part('day')} ${part('hour')}:${part('minute')}`;
}

/** Whether `timeZone` is an IANA zone this runtime can format in. */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** Jira writes `2026-12-01T09:20:00.000+0000`; `Date.parse` wants the offset as `+00:00`. */
export function parseJiraTime(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;

  const millis = Date.parse(value.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
  return Number.isFinite(millis) ? millis : undefined;
}
