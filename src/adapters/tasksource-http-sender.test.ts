import { attemptTimeoutMs, DELIVERY_TIMEOUT_MS } from './tasksource-http-sender';

describe('attemptTimeoutMs', () => {
  it.each([
    [undefined, DELIVERY_TIMEOUT_MS],
    [25_000, DELIVERY_TIMEOUT_MS],
    [8_000, 5_000],
    [3_500, 1_000],
    [Number.NaN, DELIVERY_TIMEOUT_MS],
  ])('with %p ms left waits %p ms, keeping time to record the outcome', (remaining, expected) => {
    expect(attemptTimeoutMs(remaining)).toBe(expected);
  });
});
