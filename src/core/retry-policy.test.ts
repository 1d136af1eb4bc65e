import {
  MAX_RETRY_AFTER_SECONDS,
  isRetriableStatus,
  requestedDelaySeconds,
  retryDelaySeconds,
  retryWindowClosed,
} from './retry-policy';

const NOW = Date.UTC(2021, 1, 25, 15, 0, 0);
const never = () => {
  throw new Error('random() must not be called when the server gave a delay');
};

/** A `header(name)` lookup over a plain object, case-insensitive like `Headers.get`. */
function headers(values: Record<string, string>): (name: string) => string | null {
  const lower = Object.fromEntries(Object.entries(values).map(([k, v]) => [k.toLowerCase(), v]));
  return (name) => lower[name.toLowerCase()] ?? null;
}

describe('retryDelaySeconds', () => {
  it.each<[number, number]>([
    [120, 120],
    [0.2, 1],
    [59.1, 60],
    [0, 1],
    [-30, 1],
    [900, 900],
    [901, 900],
    [86_400, 900],
  ])(
    'waits as long as the server asked (%p s gives %p s), within 1 to 900 s',
    (requested, expected) => {
      expect(retryDelaySeconds({ retryCount: 0, requestedSeconds: requested, random: never })).toBe(
        expected,
      );
    },
  );

  it('caps the wait at the Forge retry limit of 900 s', () => {
    expect(MAX_RETRY_AFTER_SECONDS).toBe(900);
  });

  it.each<[number, number, number, number]>([
    // retryCount, delay at random() = 0, 0.5, 0.999
    [0, 1, 15, 30],
    [1, 1, 30, 60],
    [2, 1, 60, 120],
    [3, 1, 120, 240],
    [4, 1, 240, 480],
    [5, 1, 450, 900],
  ])('backs off with full jitter on retry %p: %p, %p and %p s', (retryCount, low, mid, high) => {
    const delay = (share: number) =>
      retryDelaySeconds({ retryCount, requestedSeconds: undefined, random: () => share });

    expect([delay(0), delay(0.5), delay(0.999)]).toEqual([low, mid, high]);
  });

  it('never waits longer than 900 s, however many retries', () => {
    expect(
      retryDelaySeconds({ retryCount: 30, requestedSeconds: undefined, random: () => 0.999 }),
    ).toBe(900);
  });
});

describe('requestedDelaySeconds', () => {
  it.each<[string, Record<string, string>, number | undefined]>([
    ['Retry-After in seconds', { 'Retry-After': '120' }, 120],
    ['Retry-After with surrounding space', { 'Retry-After': ' 30 ' }, 30],
    ['Retry-After of zero', { 'Retry-After': '0' }, 0],
    ['Retry-After as an HTTP date', { 'Retry-After': 'Thu, 25 Feb 2021 15:01:30 GMT' }, 90],
    ['Retry-After as a past HTTP date', { 'Retry-After': 'Thu, 25 Feb 2021 14:00:00 GMT' }, 0],
    [
      'X-RateLimit-Reset as an ISO date (Jira)',
      { 'X-RateLimit-Reset': '2021-02-25T15:02:00Z' },
      120,
    ],
    ['X-RateLimit-Reset as epoch seconds', { 'X-RateLimit-Reset': String(NOW / 1000 + 45) }, 45],
    ['X-RateLimit-Reset in the past', { 'X-RateLimit-Reset': String(NOW / 1000 - 45) }, 0],
    [
      'Retry-After before X-RateLimit-Reset',
      { 'Retry-After': '10', 'X-RateLimit-Reset': '2021-02-25T15:02:00Z' },
      10,
    ],
    [
      'X-RateLimit-Reset when Retry-After is unreadable',
      { 'Retry-After': 'soon', 'X-RateLimit-Reset': '2021-02-25T15:02:00Z' },
      120,
    ],
    ['nothing without either header', {}, undefined],
    ['nothing for an empty Retry-After', { 'Retry-After': '' }, undefined],
    ['nothing for an unreadable Retry-After', { 'Retry-After': 'soon' }, undefined],
    ['nothing for an unreadable X-RateLimit-Reset', { 'X-RateLimit-Reset': 'later' }, undefined],
    ['fractional Retry-After seconds, not a date', { 'Retry-After': '1.5' }, 1.5],
    [
      'nothing for a number-like Retry-After that is no number',
      { 'Retry-After': '1.5.2' },
      undefined,
    ],
  ])('reads %s', (_name, values, expected) => {
    expect(requestedDelaySeconds(headers(values), NOW)).toBe(expected);
  });
});

describe('isRetriableStatus', () => {
  it.each<[number, boolean]>([
    [408, true],
    [429, true],
    [500, true],
    [502, true],
    [503, true],
    [504, true],
    [501, true],
    [599, true],
    [200, false],
    [302, false],
    [400, false],
    [401, false],
    [404, false],
    [410, false],
  ])('treats %p as retriable: %p', (status, expected) => {
    expect(isRetriableStatus(status)).toBe(expected);
  });
});

describe('the retry window', () => {
  const hour = 3_600_000;

  it('stays open for 72 hours from the first attempt, so a 30-hour outage fits in it', () => {
    expect(retryWindowClosed(0, 30 * hour)).toBe(false);
    expect(retryWindowClosed(0, 72 * hour - 1)).toBe(false);
    expect(retryWindowClosed(0, 72 * hour)).toBe(true);
  });
});
