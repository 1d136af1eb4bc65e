import type { LogLevel, LogSink } from './logger';
import { createLogger, parseLogLevel } from './logger';

const WEBHOOK_URL = 'https://api.tasksource.io/jira?companyId=abc';
const SIGNING_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

function makeSink() {
  const lines: { level: Parameters<LogSink>[0]; line: string }[] = [];
  const sink: LogSink = (level, line) => lines.push({ level, line });
  const entries = () => lines.map(({ line }) => JSON.parse(line) as Record<string, unknown>);
  const text = () => lines.map(({ line }) => line).join('\n');
  return { sink, lines, entries, text };
}

describe('createLogger', () => {
  it('keeps its own level and message when fields use those names', () => {
    const out = makeSink();
    createLogger({ sink: out.sink }).error('Delivery failed', { message: 'boom', level: 'debug' });

    expect(out.entries()).toEqual([
      { level: 'error', message: 'Delivery failed', messageField: 'boom', levelField: 'debug' },
    ]);
  });

  it('writes one JSON line with level, message and fields', () => {
    const out = makeSink();
    createLogger({ sink: out.sink }).warn('Delivery failed', { deliveryId: 'ts_1', status: 503 });

    expect(out.lines).toHaveLength(1);
    expect(out.lines[0]?.level).toBe('warn');
    expect(out.entries()).toEqual([
      { level: 'warn', message: 'Delivery failed', deliveryId: 'ts_1', status: 503 },
    ]);
  });

  it('never prints a registered secret, wherever it is logged', () => {
    const out = makeSink();
    const log = createLogger({ sink: out.sink, level: 'debug' });
    log.redactor.addSecret(WEBHOOK_URL);
    log.redactor.addSecret(SIGNING_SECRET);

    log.debug(`Posting to ${WEBHOOK_URL}`);
    log.info('Settings loaded', { connection: { url: WEBHOOK_URL, key: SIGNING_SECRET } });
    log.warn('Retrying', { attempts: [{ target: WEBHOOK_URL }, [SIGNING_SECRET]] });
    log.error('Delivery failed', { error: new Error(`fetch ${WEBHOOK_URL} failed`) });
    log.child({ target: WEBHOOK_URL }).error('Gave up', { errors: [new Error(SIGNING_SECRET)] });

    expect(out.lines).toHaveLength(5);
    expect(out.text()).not.toContain(WEBHOOK_URL);
    expect(out.text()).not.toContain(SIGNING_SECRET);
    expect(out.text()).not.toContain('companyId=abc');
  });

  it('redacts credential keys such as signingSecret, webhookUrl and authorization', () => {
    const out = makeSink();
    createLogger({ sink: out.sink }).info('Saving settings', {
      signingSecret: 'whsec_unregistered-but-secret',
      webhookUrl: 'https://unregistered.example/hook',
      headers: { authorization: 'Bearer unregistered-token' },
    });

    expect(out.text()).not.toMatch(/unregistered/);
    expect(out.entries()[0]).toMatchObject({
      signingSecret: '[redacted]',
      webhookUrl: '[redacted]',
      headers: { authorization: '[redacted]' },
    });
  });

  it('redacts a secret registered after a child logger was made', () => {
    const out = makeSink();
    const log = createLogger({ sink: out.sink });
    const child = log.child({ eventId: 'e1' });

    log.redactor.addSecret(SIGNING_SECRET);
    child.info(`Loaded ${SIGNING_SECRET}`);

    expect(child.redactor).toBe(log.redactor);
    expect(out.text()).not.toContain(SIGNING_SECRET);
  });

  it.each<[LogLevel, LogLevel[]]>([
    ['debug', ['debug', 'info', 'warn', 'error']],
    ['info', ['info', 'warn', 'error']],
    ['warn', ['warn', 'error']],
    ['error', ['error']],
    ['silent', []],
  ])('at level %s writes only %p', (level, written) => {
    const out = makeSink();
    const log = createLogger({ sink: out.sink, level });

    log.debug('d');
    log.info('i');
    log.warn('w');
    log.error('e');

    expect(out.lines.map((line) => line.level)).toEqual(written);
  });

  it('stays quiet about debug by default', () => {
    const out = makeSink();
    createLogger({ sink: out.sink }).debug('noise');

    expect(out.lines).toEqual([]);
  });

  it('adds child bindings to every line, merging nested children', () => {
    const out = makeSink();
    const log = createLogger({ sink: out.sink, fields: { app: 'tasksource' } });
    const event = log.child({ eventId: 'e1', issueId: '10042' });
    const delivery = event.child({ deliveryId: 'ts_1' });

    event.info('Event received');
    delivery.warn('Delivery failed', { status: 503 });
    log.info('Unrelated');

    expect(out.entries()).toEqual([
      {
        level: 'info',
        message: 'Event received',
        app: 'tasksource',
        eventId: 'e1',
        issueId: '10042',
      },
      {
        level: 'warn',
        message: 'Delivery failed',
        app: 'tasksource',
        eventId: 'e1',
        issueId: '10042',
        deliveryId: 'ts_1',
        status: 503,
      },
      { level: 'info', message: 'Unrelated', app: 'tasksource' },
    ]);
  });

  it("lets a line's own fields override the child's bindings", () => {
    const out = makeSink();
    createLogger({ sink: out.sink }).child({ attempt: 1 }).info('Retrying', { attempt: 2 });

    expect(out.entries()[0]).toMatchObject({ attempt: 2 });
  });

  it('keeps the level of the parent in its children', () => {
    const out = makeSink();
    createLogger({ sink: out.sink, level: 'warn' }).child({ eventId: 'e1' }).info('hidden');

    expect(out.lines).toEqual([]);
  });
});

describe('parseLogLevel', () => {
  it.each<[string | undefined, LogLevel]>([
    ['debug', 'debug'],
    ['info', 'info'],
    ['warn', 'warn'],
    ['error', 'error'],
    ['silent', 'silent'],
    [undefined, 'info'],
    ['', 'info'],
    ['verbose', 'info'],
  ])('reads %p as %p', (value, expected) => {
    expect(parseLogLevel(value)).toBe(expected);
  });
});
