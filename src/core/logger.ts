import { Redactor } from './redact';

/**
 * A structured logger: one JSON object a line, a sentence plus fields, redacted before it is
 * written. Quiet by default (`info`); set `LOG_LEVEL=debug` for more, `silent` for none.
 */

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
export type LogFields = Record<string, unknown>;
export type LogSink = (level: Exclude<LogLevel, 'silent'>, line: string) => void;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line, e.g. the event being handled. */
  child(fields: LogFields): Logger;
  /** The redactor shared by this logger and its children. */
  readonly redactor: Redactor;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

/** Writes through `console`, which the Forge runtime collects as app logs. */
export const consoleSink: LogSink = (level, line) => {
  if (level === 'error') console.error(line);
  else if (level === 'warn') console.warn(line);
  else console.log(line);
};

export function parseLogLevel(value: string | undefined): LogLevel {
  const known: readonly string[] = ['debug', 'warn', 'error', 'silent'];
  return known.includes(value ?? '') ? (value as LogLevel) : 'info';
}

export function createLogger(
  options: { level?: LogLevel; sink?: LogSink; redactor?: Redactor; fields?: LogFields } = {},
): Logger {
  const level = options.level ?? 'info';
  const sink = options.sink ?? consoleSink;
  const redactor = options.redactor ?? new Redactor();
  const bound = options.fields ?? {};

  const write = (
    at: Exclude<LogLevel, 'silent'>,
    message: string,
    fields: LogFields = {},
  ): void => {
    if (RANK[at] < RANK[level]) return;

    const entry: LogFields = { level: at, message };
    addFields(entry, bound);
    addFields(entry, fields);
    sink(at, JSON.stringify(redactor.redactValue(entry)));
  };

  return {
    debug: (message, fields) => write('debug', message, fields),
    info: (message, fields) => write('info', message, fields),
    warn: (message, fields) => write('warn', message, fields),
    error: (message, fields) => write('error', message, fields),
    child: (fields) => createLogger({ level, sink, redactor, fields: { ...bound, ...fields } }),
    redactor,
  };
}

/** `level` and `message` belong to the line; a field of that name is kept as `levelField` etc. */
function addFields(entry: LogFields, fields: LogFields): void {
  for (const [key, value] of Object.entries(fields)) {
    entry[key === 'level' || key === 'message' ? `${key}Field` : key] = value;
  }
}
