import { setImmediate } from 'node:timers/promises';

/**
 * The memory workloads' call path between the app's worker and the platform's thread: shared
 * memory and `Atomics`, so a platform call costs two thread wake-ups rather than two trips
 * through the event loops. While the worker runs invocations the platform's thread waits here
 * for its calls (`serve`); the worker blocks in `call` until the answer is written. Messages
 * are JSON text, one at a time.
 */

const STATE = 0;
const LENGTH = 1;
const IDLE = 0;
/** The worker wrote a platform call. */
const CALL = 1;
/** The platform's thread wrote the answer. */
const ANSWER = 2;
/** The worker wrote the outcome of its invocations. */
const DONE = 3;
/** How long the platform's thread waits before looking at its events (a dead worker). */
const POLL_MS = 50;

export interface ChannelMemory {
  readonly control: SharedArrayBuffer;
  readonly data: SharedArrayBuffer;
}

export function createChannel(bytes = 64 * 1024 * 1024): ChannelMemory {
  return { control: new SharedArrayBuffer(8), data: new SharedArrayBuffer(bytes) };
}

/** The worker's side: one platform call, answered synchronously. */
export function call(memory: ChannelMemory, request: unknown): unknown {
  const control = new Int32Array(memory.control);
  write(memory, control, request);
  Atomics.store(control, STATE, CALL);
  Atomics.notify(control, STATE);
  // A wake-up meant for an earlier call can arrive late: only the answer's state ends the wait.
  while (Atomics.load(control, STATE) === CALL) Atomics.wait(control, STATE, CALL);
  return read(memory, control);
}

/** The worker's side: the invocations are over; `outcome` goes back to `serve`. */
export function finish(memory: ChannelMemory, outcome: unknown): void {
  const control = new Int32Array(memory.control);
  write(memory, control, outcome);
  Atomics.store(control, STATE, DONE);
  Atomics.notify(control, STATE);
}

/**
 * The platform's side: answers the worker's calls with `answer` until it finishes, and
 * resolves with its outcome; rejects with `failed()` once that says the worker died.
 */
export async function serve(
  memory: ChannelMemory,
  answer: (request: unknown) => unknown,
  failed: () => Error | undefined,
): Promise<unknown> {
  const control = new Int32Array(memory.control);
  for (;;) {
    const state = Atomics.load(control, STATE);
    if (state === CALL) {
      write(memory, control, answer(read(memory, control)));
      Atomics.store(control, STATE, ANSWER);
      Atomics.notify(control, STATE);
    } else if (state === DONE) {
      const outcome = read(memory, control);
      Atomics.store(control, STATE, IDLE);
      return outcome;
    } else if (Atomics.wait(control, STATE, state, POLL_MS) === 'timed-out') {
      await setImmediate();
      const failure = failed();
      if (failure) throw failure;
    }
  }
}

function write(memory: ChannelMemory, control: Int32Array, value: unknown): void {
  const text = JSON.stringify(value) ?? 'null';
  const length = Buffer.byteLength(text);
  if (length > memory.data.byteLength) {
    throw new RangeError(`[memory] A message of ${length} bytes does not fit the channel`);
  }
  Buffer.from(memory.data).write(text, 0, 'utf8');
  Atomics.store(control, LENGTH, length);
}

function read(memory: ChannelMemory, control: Int32Array): unknown {
  const length = Atomics.load(control, LENGTH);
  return JSON.parse(Buffer.from(memory.data, 0, length).toString('utf8')) as unknown;
}
