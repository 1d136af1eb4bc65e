import { FaultList } from './faults';

/**
 * Forge KVS, in memory, speaking the wire protocol `@forge/kvs` 1.6 uses (`POST /api/v1/…`,
 * errors as `{code, message}`), so the real module runs against it unmodified. Plain values
 * and secrets live in separate namespaces, as on the platform. Taken from the package's code,
 * not from documentation; the `FAIL_IF_EXISTS` conflict answer (409 `KEY_ALREADY_EXISTS`) is
 * inferred.
 */

const KEY_PATTERN = /^(?!\s+$)[a-zA-Z0-9:._\s#-]+$/;
const MAX_KEY_LENGTH = 500;
const MAX_VALUE_BYTES = 240 * 1024;
/** FORGE.md §8; objects and lists each count as a level (how KVS counts is not verified). */
const MAX_DEPTH = 31;
const MAX_TRANSACTION_OPERATIONS = 25;
const MAX_TRANSACTION_BYTES = 4 * 1024 * 1024;

interface Entry {
  value: unknown;
  createdAt: number;
  updatedAt: number;
  expiresAt: number | undefined;
}

export interface KvsAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** One successful `set`, as a write observer sees it. */
export interface KvsWrite {
  readonly namespace: Namespace;
  readonly key: string;
  readonly value: unknown;
  /** Whether the key held a live value before this write. */
  readonly existed: boolean;
}

export interface KvsCounters {
  /** Read requests: a `get`, or a `query` page. */
  reads: number;
  /** Write requests: a `set`, a `delete`, or a whole transaction (Forge rates it as one write). */
  writes: number;
  /** Keys written or deleted, counting each operation inside a transaction. */
  keysWritten: number;
  /** Reads of the secret store (where the app keeps its settings). */
  secretReads: number;
}

export type Namespace = 'plain' | 'secret';

export class LocalKvs {
  private readonly stores: Record<Namespace, Map<string, Entry>> = {
    plain: new Map(),
    secret: new Map(),
  };
  readonly counters: KvsCounters = { reads: 0, writes: 0, keysWritten: 0, secretReads: 0 };
  /**
   * Injected failures, matched on the operation: `get`, `set`, `delete`, `query`, or
   * `transaction` (which a `set` fault also fails when the transaction sets a key).
   */
  readonly faults = new FaultList();
  private readonly writeObservers: ((write: KvsWrite) => void)[] = [];

  /** `now` is the platform's clock: TTLs expire on emulated time. */
  constructor(private readonly now: () => number = () => Date.now()) {}

  /** Calls `observer` after every successful `set`, with a copy of the value written. */
  onWrite(observer: (write: KvsWrite) => void): void {
    this.writeObservers.push(observer);
  }

  /** Everything stored, for tests that check what was (and was not) written where. */
  snapshot(): { plain: Record<string, unknown>; secret: Record<string, unknown> } {
    return { plain: this.live('plain'), secret: this.live('secret') };
  }

  handle(path: string, body: unknown): KvsAnswer {
    const secret = path.startsWith('/api/v1/secret/');
    const namespace: Namespace = secret ? 'secret' : 'plain';
    const operation = path.replace('/api/v1/secret/', '/api/v1/').replace('/api/v1/', '');
    const request = (body ?? {}) as Record<string, unknown>;
    const fault = this.takeFault(operation, request);
    if (fault) return fault;

    switch (operation) {
      case 'get':
        return this.get(namespace, request);
      case 'set':
        return this.set(namespace, request);
      case 'delete':
        return this.delete(namespace, request);
      case 'query':
        if (secret) break;
        return this.query(request);
      case 'transaction':
        if (secret) break;
        return this.transact(request);
    }
    return error(404, 'NOT_FOUND', `The local KVS does not implement ${path}`);
  }

  private takeFault(operation: string, request: Record<string, unknown>): KvsAnswer | undefined {
    const answer = (injected: { status: number }) => ({
      code: injected.status === 429 ? 'RATE_LIMIT_EXCEEDED' : 'INTERNAL_SERVER_ERROR',
      message: `Injected fault: ${injected.status}`,
    });
    const fault = this.faults.take(operation, answer);
    if (fault || operation !== 'transaction' || !Array.isArray(request.set)) return fault;
    return this.faults.take('set', answer);
  }

  private get(namespace: Namespace, request: Record<string, unknown>): KvsAnswer {
    this.counters.reads += 1;
    if (namespace === 'secret') this.counters.secretReads += 1;
    const key = checkKey(request.key);
    if (typeof key !== 'string') return key;

    const entry = this.entry(namespace, key);
    if (!entry) return error(404, 'KEY_NOT_FOUND', 'The key does not exist');
    return {
      status: 200,
      body: { key, value: entry.value, createdAt: entry.createdAt, updatedAt: entry.updatedAt },
    };
  }

  private set(namespace: Namespace, request: Record<string, unknown>): KvsAnswer {
    this.counters.writes += 1;
    const checked = this.checkSet(namespace, request);
    if (!isValidSet(checked)) return checked;

    this.store(namespace, checked);
    return { status: 200, body: '' };
  }

  private delete(namespace: Namespace, request: Record<string, unknown>): KvsAnswer {
    this.counters.writes += 1;
    const key = checkKey(request.key);
    if (typeof key !== 'string') return key;

    this.counters.keysWritten += 1;
    this.stores[namespace].delete(key);
    return { status: 204, body: '' };
  }

  /**
   * `kvs.transact()`: every `set` and `delete` is checked first, and either all are applied or
   * none (a `FAIL_IF_EXISTS` conflict fails the whole transaction). At most 25 operations and
   * 4 MB, no key twice. Custom-entity `check` operations are not emulated.
   */
  private transact(request: Record<string, unknown>): KvsAnswer {
    this.counters.writes += 1;
    const sets = Array.isArray(request.set) ? (request.set as Record<string, unknown>[]) : [];
    const deletes = Array.isArray(request.delete)
      ? (request.delete as Record<string, unknown>[])
      : [];
    if (request.check !== undefined) {
      return error(400, 'INVALID_REQUEST', 'The local KVS does not emulate transaction checks');
    }
    if (sets.length + deletes.length === 0) {
      return error(400, 'INVALID_REQUEST', 'A transaction needs at least one operation');
    }
    if (sets.length + deletes.length > MAX_TRANSACTION_OPERATIONS) {
      return error(400, 'INVALID_REQUEST', 'A transaction holds at most 25 operations');
    }
    if (Buffer.byteLength(JSON.stringify(request)) > MAX_TRANSACTION_BYTES) {
      return error(413, 'PAYLOAD_TOO_LARGE', 'A transaction holds at most 4 MB');
    }

    const checked: ValidSet[] = [];
    for (const set of sets) {
      const valid = this.checkSet('plain', set);
      if (!isValidSet(valid)) return valid;
      checked.push(valid);
    }
    const deleted: string[] = [];
    for (const remove of deletes) {
      const key = checkKey(remove.key);
      if (typeof key !== 'string') return key;
      deleted.push(key);
    }
    const keys = [...checked.map((set) => set.key), ...deleted];
    if (new Set(keys).size !== keys.length) {
      return error(400, 'INVALID_REQUEST', 'A transaction names a key more than once');
    }

    for (const set of checked) this.store('plain', set);
    for (const key of deleted) {
      this.counters.keysWritten += 1;
      this.stores.plain.delete(key);
    }
    return { status: 204, body: '' };
  }

  private checkSet(namespace: Namespace, request: Record<string, unknown>): ValidSet | KvsAnswer {
    const key = checkKey(request.key);
    if (typeof key !== 'string') return key;
    if (request.value === undefined) return error(400, 'INVALID_VALUE', 'A value is required');
    if (Buffer.byteLength(JSON.stringify(request.value)) > MAX_VALUE_BYTES) {
      return error(413, 'VALUE_TOO_LARGE', 'The value exceeds 240 KiB');
    }
    if (nestedDeeperThan(request.value, MAX_DEPTH)) {
      return error(400, 'INVALID_VALUE', `The value is nested deeper than ${MAX_DEPTH} levels`);
    }

    const options = (request.options ?? {}) as ValidSet['options'];
    const existing = this.entry(namespace, key);
    if (options.keyPolicy === 'FAIL_IF_EXISTS' && existing) {
      return error(409, 'KEY_ALREADY_EXISTS', 'The key already exists');
    }
    return { valid: true, key, value: request.value, options, existing };
  }

  private store(namespace: Namespace, { key, value, options, existing }: ValidSet): void {
    const now = this.now();
    this.counters.keysWritten += 1;
    this.stores[namespace].set(key, {
      value: structuredClone(value),
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
      expiresAt: expiry(options.ttl, now),
    });
    for (const observer of this.writeObservers) {
      observer({ namespace, key, value: structuredClone(value), existed: !!existing });
    }
  }

  private query(request: Record<string, unknown>): KvsAnswer {
    this.counters.reads += 1;
    const where = Array.isArray(request.where)
      ? (request.where[0] as { values?: unknown[] })
      : undefined;
    const prefix = typeof where?.values?.[0] === 'string' ? where.values[0] : '';
    const limit = Math.min(typeof request.limit === 'number' ? request.limit : 10, 100);
    const after = typeof request.after === 'string' ? request.after : '';

    const keys = Object.keys(this.live('plain'))
      .filter((key) => key.startsWith(prefix) && key > after)
      .sort();
    const page = keys.slice(0, limit);
    const data = page.map((key) => ({ key, value: this.entry('plain', key)?.value }));
    const cursor = keys.length > limit ? page[page.length - 1] : undefined;
    return { status: 200, body: { data, ...(cursor ? { cursor } : {}) } };
  }

  private entry(namespace: Namespace, key: string): Entry | undefined {
    const entry = this.stores[namespace].get(key);
    if (entry?.expiresAt !== undefined && entry.expiresAt <= this.now()) {
      this.stores[namespace].delete(key);
      return undefined;
    }
    return entry;
  }

  private live(namespace: Namespace): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    for (const key of [...this.stores[namespace].keys()].sort()) {
      const entry = this.entry(namespace, key);
      if (entry) result[key] = structuredClone(entry.value);
    }
    return result;
  }
}

interface ValidSet {
  readonly valid: true;
  readonly key: string;
  readonly value: unknown;
  readonly options: { keyPolicy?: string; ttl?: { unit?: string; value?: number } };
  readonly existing: Entry | undefined;
}

function isValidSet(checked: ValidSet | KvsAnswer): checked is ValidSet {
  return 'valid' in checked;
}

function nestedDeeperThan(value: unknown, limit: number, depth = 1): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (depth > limit) return true;

  return Object.values(value).some((child) => nestedDeeperThan(child, limit, depth + 1));
}

function checkKey(key: unknown): string | KvsAnswer {
  if (
    typeof key !== 'string' ||
    key.length === 0 ||
    key.length > MAX_KEY_LENGTH ||
    !KEY_PATTERN.test(key)
  ) {
    return error(400, 'INVALID_KEY', `Invalid key ${JSON.stringify(key)}`);
  }
  return key;
}

const UNIT_MILLIS: Record<string, number> = {
  SECONDS: 1_000,
  MINUTES: 60_000,
  HOURS: 3_600_000,
  DAYS: 86_400_000,
};

function expiry(
  ttl: { unit?: string; value?: number } | undefined,
  now: number,
): number | undefined {
  if (!ttl?.unit || typeof ttl.value !== 'number') return undefined;
  return now + ttl.value * (UNIT_MILLIS[ttl.unit] ?? 0);
}

function error(status: number, code: string, message: string): KvsAnswer {
  return { status, body: { code, message } };
}
