import * as z from 'zod';

/**
 * The replay scenario format (README, "Scenario format"). The harness checks the frame, not
 * the events: an `event` step is handed to the trigger exactly as written, since malformed
 * events are how the app's own validation is tested. Settings are checked by the app's
 * settings code when they are saved.
 */

const issueMap = z.record(
  z.string().regex(/^[0-9]{1,18}$/, { message: 'expected a numeric issue id as the key' }),
  z.looseObject({}, { message: 'expected an issue object (REST API v2 JSON)' }).nullable(),
);

const settings = z.strictObject({
  integrationAccountId: z.unknown(),
  webhookUrl: z.unknown(),
  signingSecret: z.unknown().optional(),
  projects: z.record(z.string(), z.unknown()).default({}),
});

const site = z.strictObject({
  cloudId: z.string().min(1),
  baseUrl: z.url({ protocol: /^https$/, message: 'expected https://<site>.atlassian.net' }),
});

const note = z.string().max(200).optional();

/** Project entity properties by project id, then key; `null` removes one. */
const projectProperties = z.record(
  z.string().regex(/^[0-9]{1,18}$/, { message: 'expected a numeric project id as the key' }),
  z.record(z.string().min(1).max(255), z.unknown()),
);

const fault = {
  status: z.number().int().min(400).max(599),
  retryAfter: z.number().int().nonnegative().optional(),
  times: z.number().int().positive().default(1),
};

const jiraStep = z.strictObject({
  note,
  jira: z
    .strictObject({
      issues: issueMap.optional(),
      /** The next requests for `path` fail with `status`, `times` times. */
      faults: z
        .array(z.strictObject({ path: z.string().startsWith('/rest/api/'), ...fault }))
        .optional(),
      projectProperties: projectProperties.optional(),
    })
    .refine(
      (jira) =>
        jira.issues !== undefined ||
        jira.faults !== undefined ||
        jira.projectProperties !== undefined,
      { message: 'expected issues, faults, projectProperties, or some of them' },
    ),
});

const kvsStep = z.strictObject({
  note,
  kvs: z.strictObject({
    faults: z.array(
      z.strictObject({ op: z.enum(['get', 'set', 'delete', 'query', 'transaction']), ...fault }),
    ),
  }),
});

const receiverAnswer = z.union(
  [
    z.number().int().min(100).max(599),
    z.strictObject({
      status: z.number().int().min(100).max(599),
      retryAfter: z.number().int().nonnegative().optional(),
    }),
    z.literal('timeout'),
    z.literal('reset'),
  ],
  {
    message: 'expected a status (100 to 599), {"status", "retryAfter"}, "timeout" or "reset"',
  },
);

/** How the bundled receiver answers next (`respond`), or from now on (`answer`). */
const receiverStep = z.strictObject({
  note,
  receiver: z
    .strictObject({
      respond: z.array(receiverAnswer).optional(),
      answer: receiverAnswer.optional(),
    })
    .refine((receiver) => receiver.respond !== undefined || receiver.answer !== undefined, {
      message: 'expected respond, answer, or both',
    }),
});

const eventStep = z.strictObject({
  note,
  event: z.looseObject({}, { message: 'expected an event object' }),
});

/** At most 30 days a step: longer runs of hourly work are better split into several steps. */
export const MAX_ADVANCE_SECONDS = 30 * 86_400;

/** Moves the emulated clock, running everything due on the way (queue, retries, schedules). */
const advanceStep = z.strictObject({
  note,
  advance: z.strictObject({
    seconds: z
      .number({ message: 'expected a whole number of seconds' })
      .int({ message: 'expected a whole number of seconds' })
      .positive({ message: 'expected a positive number of seconds' })
      .max(MAX_ADVANCE_SECONDS, {
        message: `expected at most ${MAX_ADVANCE_SECONDS} seconds (30 days) per step; split longer waits`,
      }),
  }),
});

const accountId = z.string().min(1).max(128);

/** Calls a settings page's resolver as a given user, as the page's `invoke` would. */
const resolveStep = z.strictObject({
  note,
  resolve: z
    .strictObject({
      module: z.enum(['admin', 'project-settings']),
      projectId: z
        .string()
        .regex(/^[0-9]{1,18}$/, { message: 'expected a numeric project id' })
        .optional(),
      as: z.strictObject({
        accountId,
        permissions: z.array(
          z.string().regex(/^[A-Z_]+$/, {
            message: 'expected a Jira permission key such as ADMINISTER_PROJECTS',
          }),
        ),
      }),
      call: z.string().min(1).max(100),
      payload: z.unknown().optional(),
    })
    .refine((resolve) => resolve.module !== 'project-settings' || resolve.projectId !== undefined, {
      message: 'expected projectId: the project settings page always opens in a project',
      path: ['projectId'],
    }),
});

const SINGLE_STEPS = {
  jira: jiraStep,
  event: eventStep,
  resolve: resolveStep,
  receiver: receiverStep,
  kvs: kvsStep,
  advance: advanceStep,
} as const;

export type SingleStep = z.infer<(typeof SINGLE_STEPS)[keyof typeof SINGLE_STEPS]>;

/** Steps dispatched at the same moment: events handled concurrently, as Forge may. */
export interface ParallelStep {
  readonly note?: string | undefined;
  readonly parallel: SingleStep[];
}

export type ScenarioStep = SingleStep | ParallelStep;

const STEP_KINDS = [...Object.keys(SINGLE_STEPS), 'parallel'];
/** The rest of the site the settings pages look at: who exists, which projects, which labels. */
const jiraState = z.strictObject({
  issues: issueMap.optional(),
  users: z
    .array(
      z.strictObject({
        accountId,
        displayName: z.string().min(1),
        emailAddress: z.string().optional(),
      }),
    )
    .optional(),
  projects: z
    .record(
      z.string().regex(/^[0-9]{1,18}$/, { message: 'expected a numeric project id as the key' }),
      z.strictObject({
        key: z.string().min(1),
        name: z.string().min(1),
        assignable: z.array(accountId).optional(),
      }),
    )
    .optional(),
  labels: z.array(z.string().min(1)).optional(),
  /** Applied after `settings`, whose projects get the project flag a save would have set. */
  projectProperties: projectProperties.optional(),
});

const scenarioSchema = z.strictObject({
  description: z.string().optional(),
  settings: settings.optional(),
  site: site.optional(),
  jira: jiraState.optional(),
  steps: z.array(z.unknown()),
});

export type Scenario = Omit<z.infer<typeof scenarioSchema>, 'steps'> & { steps: ScenarioStep[] };

export class ScenarioError extends Error {}

/** Deeper than any Jira issue; deeper still would overflow the stack while copying. */
const MAX_DEPTH = 200;

export function parseScenario(input: unknown): Scenario {
  const hazard = findHazard(input);
  if (hazard) throw new ScenarioError(hazard);

  const frame = scenarioSchema.safeParse(input);
  if (!frame.success) throw new ScenarioError(formatIssues(frame.error.issues, []));

  const steps = frame.data.steps.map((step, index) => parseStep(step, index));
  return { ...frame.data, steps };
}

function parseStep(step: unknown, index: number): ScenarioStep {
  return parseAt(step, ['steps', index], true);
}

function parseAt(step: unknown, path: (string | number)[], allowParallel: boolean): ScenarioStep {
  const kinds = allowParallel
    ? STEP_KINDS
    : Object.keys(SINGLE_STEPS).filter((kind) => kind !== 'advance');
  const present =
    typeof step === 'object' && step !== null ? STEP_KINDS.filter((kind) => kind in step) : [];
  if (!allowParallel && present.length === 1 && present[0] === 'parallel') {
    throw new ScenarioError(`${path.join('.')}: parallel steps cannot be nested; flatten them`);
  }
  if (present.length !== 1) {
    const got = describeValue(step);
    throw new ScenarioError(
      `${path.join('.')}: expected exactly one of ${kinds.join(', ')}; got ${got}`,
    );
  }

  const kind = present[0] as keyof typeof SINGLE_STEPS | 'parallel';
  if (kind === 'parallel') return parseParallel(step as Record<string, unknown>, path);
  if (kind === 'advance' && !allowParallel) {
    throw new ScenarioError(
      `${path.join('.')}: advance cannot run inside parallel: time moves for the whole platform. ` +
        'Put it in a step of its own, before or after the parallel step',
    );
  }

  const parsed = SINGLE_STEPS[kind].safeParse(step);
  if (!parsed.success) throw new ScenarioError(formatIssues(parsed.error.issues, path));
  return parsed.data;
}

function parseParallel(step: Record<string, unknown>, path: (string | number)[]): ParallelStep {
  const { parallel, note: text, ...rest } = step;
  const extra = Object.keys(rest);
  if (extra.length > 0)
    throw new ScenarioError(`${path.join('.')}: unexpected key ${extra.join(', ')}`);
  if (!Array.isArray(parallel) || parallel.length === 0)
    throw new ScenarioError(`${path.join('.')}.parallel: expected a non-empty array of steps`);
  if (text !== undefined && typeof text !== 'string')
    throw new ScenarioError(`${path.join('.')}.note: expected a string`);

  const steps = parallel.map(
    (inner, index) => parseAt(inner, [...path, 'parallel', index], false) as SingleStep,
  );
  return { ...(text === undefined ? {} : { note: text }), parallel: steps };
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return Object.keys(value).join(', ') || 'no keys';
  return typeof value;
}

/**
 * `__proto__` keys, which JSON allows but objects silently swallow, and nesting too deep to
 * copy. Either would make the scenario mean something other than what the file says.
 */
function findHazard(input: unknown): string | undefined {
  const stack: [unknown, string, number][] = [[input, '', 0]];
  for (let entry = stack.pop(); entry; entry = stack.pop()) {
    const [value, path, depth] = entry;
    if (typeof value !== 'object' || value === null) continue;
    if (depth > MAX_DEPTH) {
      const shown = path.length > 80 ? `${path.slice(0, 80)}…` : path;
      return `${shown}: expected at most ${MAX_DEPTH} levels of nesting`;
    }

    for (const key of Object.keys(value)) {
      const child = path ? `${path}.${key}` : key;
      if (key === '__proto__') return `${child}: "__proto__" is not allowed as a key`;
      stack.push([(value as Record<string, unknown>)[key], child, depth + 1]);
    }
  }
  return undefined;
}

function formatIssues(issues: readonly z.core.$ZodIssue[], prefix: (string | number)[]): string {
  return issues
    .map((issue) => {
      const path = [...prefix, ...issue.path.map((part) => String(part))].join('.') || '(root)';
      return `${path}: ${issue.message}`;
    })
    .join('; ');
}
