/**
 * Errors are typed by what the caller should do next, not by where they happened.
 * `src/entry/platform-outcome.ts` maps them to Forge outcomes in one place.
 */

/** Base class: every error the app raises on purpose. */
export class TasksourceAppError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Worth trying again later: 408, 429, 5xx, network errors and timeouts. */
export class RetriableError extends TasksourceAppError {
  /** Seconds the other side asked us to wait, when it said so. */
  readonly retryAfterSeconds: number | undefined;
  readonly rateLimited: boolean;

  constructor(
    message: string,
    options: { cause?: unknown; retryAfterSeconds?: number; rateLimited?: boolean } = {},
  ) {
    super(message, { cause: options.cause });
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.rateLimited = options.rateLimited ?? false;
  }
}

/** Trying again cannot help: a 4xx from tasksource, a refused redirect. */
export class PermanentError extends TasksourceAppError {}

/** Input that does not fit its schema. `issues` name each bad field and what was expected. */
export class ValidationError extends TasksourceAppError {
  readonly issues: readonly FieldIssue[];

  constructor(message: string, issues: readonly FieldIssue[]) {
    super(message);
    this.issues = issues;
  }
}

export interface FieldIssue {
  /** Dotted path of the field, e.g. `projects.10000.labels.0`; empty for the whole value. */
  readonly path: string;
  readonly message: string;
}
