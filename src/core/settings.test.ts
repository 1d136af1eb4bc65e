import { randomBytes } from 'node:crypto';

import type * as z from 'zod';

import {
  connectionSettingsSchema,
  labelSchema,
  projectSettingsSchema,
  storedSettingsSchema,
  storedSettingsShape,
} from './settings';

const WEBHOOK_URL = 'https://api.tasksource.io/jira?companyId=abc';
const ACCOUNT_ID = '712020:8f3e2a6b-0c1d-4e5f-a6b7-c8d9e0f1a2b3';
const SIGNING_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

const whsecOfBytes = (length: number) => `whsec_${randomBytes(length).toString('base64')}`;

function makeConnection(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { webhookUrl: WEBHOOK_URL, integrationAccountId: ACCOUNT_ID, ...overrides };
}

/** The `{path, message}` pairs of a refused value, or a failure if it was accepted. */
function refusal(schema: z.ZodType, value: unknown): { path: string; message: string }[] {
  const parsed = schema.safeParse(value);
  if (parsed.success) throw new Error(`expected ${JSON.stringify(value)} to be refused`);
  return parsed.error.issues.map((issue) => ({
    path: issue.path.join('.'),
    message: issue.message,
  }));
}

describe('labelSchema', () => {
  it.each(['acme-web', 'Acme_Web.2', 'a', 'x'.repeat(255)])('accepts the label %p', (label) => {
    expect(labelSchema.parse(label)).toBe(label);
  });

  it.each<[string, string, RegExp]>([
    ['an empty label', '', /empty/],
    ['a label with a space', 'acme web', /without spaces/],
    ['a label with a tab', 'acme\tweb', /without spaces/],
    ['a label with a newline', 'acme\nweb', /without spaces/],
    ['a label of 256 characters', 'x'.repeat(256), /at most 255/],
  ])('refuses %s with a clear message', (_name, label, message) => {
    expect(refusal(labelSchema, label).map((issue) => issue.message)).toEqual([
      expect.stringMatching(message),
    ]);
  });
});

describe('projectSettingsSchema', () => {
  it('enables forwarding unless told otherwise', () => {
    expect(projectSettingsSchema.parse({ labels: ['acme-web'] })).toEqual({
      labels: ['acme-web'],
      enabled: true,
    });
  });

  it('refuses the same label twice', () => {
    expect(refusal(projectSettingsSchema, { labels: ['acme-web', 'acme-web'] })).toEqual([
      { path: 'labels', message: 'expected each label once' },
    ]);
  });

  it('names the bad label by its position', () => {
    expect(refusal(projectSettingsSchema, { labels: ['ok', 'acme web'] })[0]?.path).toBe(
      'labels.1',
    );
  });
});

describe('connectionSettingsSchema', () => {
  it.each(['not a url', '', 'https://'])(
    'refuses the webhook URL %p with a message, not a throw',
    (webhookUrl) => {
      const parsed = connectionSettingsSchema.safeParse(makeConnection({ webhookUrl }));

      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues.map((issue) => issue.message)).toEqual(['expected a URL']);
    },
  );

  it('accepts a tasksource https URL with its query string unchanged', () => {
    expect(connectionSettingsSchema.parse(makeConnection())).toEqual({
      webhookUrl: WEBHOOK_URL,
      integrationAccountId: ACCOUNT_ID,
    });
  });

  it.each([24, 32, 64])('accepts a whsec_ secret of %p random bytes', (length) => {
    const signingSecret = whsecOfBytes(length);

    expect(connectionSettingsSchema.parse(makeConnection({ signingSecret })).signingSecret).toBe(
      signingSecret,
    );
  });

  it('accepts the Standard Webhooks example secret', () => {
    expect(
      connectionSettingsSchema.safeParse(makeConnection({ signingSecret: SIGNING_SECRET })).success,
    ).toBe(true);
  });

  it('trims pasted whitespace around the URL, account id and secret', () => {
    const pasted = makeConnection({
      webhookUrl: ` ${WEBHOOK_URL}\n`,
      integrationAccountId: ` ${ACCOUNT_ID} `,
      signingSecret: `${SIGNING_SECRET} `,
    });

    expect(connectionSettingsSchema.parse(pasted)).toEqual({
      webhookUrl: WEBHOOK_URL,
      integrationAccountId: ACCOUNT_ID,
      signingSecret: SIGNING_SECRET,
    });
  });

  it.each<[string, Record<string, unknown>, string, RegExp]>([
    [
      'a plain http URL',
      { webhookUrl: 'http://api.tasksource.io/jira?companyId=abc' },
      'webhookUrl',
      /https:\/\//,
    ],
    [
      'a URL with a user name and password',
      { webhookUrl: 'https://user:pass@api.tasksource.io/jira' },
      'webhookUrl',
      /without user name or password/,
    ],
    [
      'an e-mail address as the integration account',
      { integrationAccountId: 'integration@tasksource.io' },
      'integrationAccountId',
      /not an e-mail address/,
    ],
    [
      'an empty integration account',
      { integrationAccountId: '   ' },
      'integrationAccountId',
      /accountId of the tasksource integration account/,
    ],
    [
      'a secret without the whsec_ prefix',
      { signingSecret: 'MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' },
      'signingSecret',
      /starting whsec_/,
    ],
    [
      'a secret with the wrong prefix',
      { signingSecret: 'wsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' },
      'signingSecret',
      /starting whsec_/,
    ],
    [
      'a secret of too few bytes',
      { signingSecret: whsecOfBytes(16) },
      'signingSecret',
      /24 to 64 bytes/,
    ],
    [
      'a secret of too many bytes',
      { signingSecret: whsecOfBytes(65) },
      'signingSecret',
      /24 to 64 bytes/,
    ],
    [
      'a secret that is not base64',
      { signingSecret: 'whsec_not-base64-at-all!not-base64-at-all!' },
      'signingSecret',
      /base64/,
    ],
  ])('refuses %s with a clear message', (_name, overrides, path, message) => {
    expect(refusal(connectionSettingsSchema, makeConnection(overrides))).toContainEqual({
      path,
      message: expect.stringMatching(message),
    });
  });

  it('refuses fields it does not know', () => {
    expect(refusal(connectionSettingsSchema, makeConnection({ apiToken: 'x' }))).toHaveLength(1);
  });

  it('never repeats the rejected secret, URL or account id in its messages', () => {
    const secrets = {
      webhookUrl: 'http://api.tasksource.io/jira?companyId=private-company-4711',
      integrationAccountId: 'private.person@tasksource.io',
      signingSecret: 'whsec_privateSecretTooShort',
    };

    const messages = JSON.stringify(refusal(connectionSettingsSchema, secrets));

    expect(messages).not.toMatch(/private/);
    expect(messages).not.toContain('companyId');
  });
});

describe('storedSettingsShape, the settings as every event reads them', () => {
  const saved = storedSettingsSchema.parse({
    version: 1,
    connection: {
      webhookUrl: 'https://API.tasksource.io/jira?companyId=abc#x',
      integrationAccountId: '712020:integration',
      signingSecret: `whsec_${randomBytes(24).toString('base64')}`,
      connectionId: 'connection-1',
    },
    projects: { '10000': { labels: ['acme-web'] } },
  });

  it('reads back exactly what saving stored', () => {
    expect(storedSettingsShape.parse(JSON.parse(JSON.stringify(saved)))).toEqual(saved);
  });

  it.each([
    [
      'a connection without its id',
      { connection: { ...saved.connection, connectionId: undefined } },
    ],
    ['a label that is not a string', { projects: { '10000': { labels: [7], enabled: true } } }],
    ['a project keyed by its label', { projects: { 'acme-web': { labels: [], enabled: true } } }],
    ['an unknown key', { stray: true }],
    ['another version', { version: 2 }],
  ])('refuses %s', (_, change) => {
    expect(storedSettingsShape.safeParse({ ...saved, ...change }).success).toBe(false);
  });
});
