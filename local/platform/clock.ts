/**
 * The local runtime's clock: real time plus an offset that only grows. `advance(seconds)` and
 * the scheduler's `moveTo(dueAt)` grow the offset; between them the clock ticks with real time,
 * so durations measured by the app stay real.
 *
 * This is how the emulator moves time. While a platform runs, `Date.now()` and `new Date()`
 * (the calls the app makes) follow this clock; `close()` puts the real `Date` back. The real
 * Forge runtime needs nothing like it: there, time simply passes.
 */

export class EmulatedClock {
  private offsetMs = 0;

  constructor(private readonly realNow: () => number = realDateNow()) {}

  /** Emulated epoch milliseconds. */
  now(): number {
    return this.realNow() + this.offsetMs;
  }

  /** Moves the clock `seconds` forward (never back). */
  advance(seconds: number): void {
    if (!Number.isFinite(seconds) || seconds < 0) {
      throw new RangeError(`[clock] Expected a non-negative number of seconds, got ${seconds}`);
    }

    this.offsetMs += seconds * 1000;
  }

  /** Moves the clock forward to `epochMillis`; a time already passed leaves it as it is. */
  moveTo(epochMillis: number): void {
    const ahead = epochMillis - this.now();
    if (ahead > 0) this.offsetMs += ahead;
  }
}

const STATE = Symbol.for('tasksource.local.clock');

interface ClockState {
  readonly real: DateConstructor;
  /** Running platforms' clocks; the newest one is the time `Date` tells. */
  readonly clocks: EmulatedClock[];
}

type GlobalWithClock = typeof globalThis & { [STATE]?: ClockState };

/** `Date.now` as it was before any emulated clock was installed. */
function realDateNow(): () => number {
  const real = (globalThis as GlobalWithClock)[STATE]?.real ?? Date;
  return () => real.now();
}

/**
 * Makes the global `Date` follow `clock`: `Date.now()`, `new Date()` and `Date()` read it;
 * everything else (`Date.parse`, `new Date(ms)`, `instanceof Date`) is the real `Date`. Returns
 * the function that takes `clock` out again; once no clock is left, the real `Date` is back.
 * Platforms may close in any order.
 */
export function installClock(clock: EmulatedClock): () => void {
  const global = globalThis as GlobalWithClock;
  const state = global[STATE] ?? { real: Date, clocks: [] };
  global[STATE] = state;
  if (state.clocks.length === 0) globalThis.Date = emulatedDate(state);
  state.clocks.push(clock);

  return () => {
    const index = state.clocks.indexOf(clock);
    if (index >= 0) state.clocks.splice(index, 1);
    if (state.clocks.length === 0) globalThis.Date = state.real;
  };
}

function emulatedDate(state: ClockState): DateConstructor {
  const { real, clocks } = state;
  const now = () => clocks.at(-1)?.now() ?? real.now();

  return new Proxy(real, {
    construct: (target, args, newTarget) =>
      Reflect.construct(target, args.length === 0 ? [now()] : args, newTarget) as object,
    apply: () => new real(now()).toString(),
    get: (target, property, receiver) =>
      property === 'now' ? now : Reflect.get(target, property, receiver),
  });
}
