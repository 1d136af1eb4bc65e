import { z } from 'zod';

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

const jiraStep = z.strictObject({
  note,
  jira: z.strictObject({ issues: issueMap }),
});

const eventStep = z.strictObject({
  note,
  event: z.looseObject({}, { message: 'expected an event object' }),
});

const STEP_KINDS = { jira: jiraStep, event: eventStep } as const;

export type ScenarioStep = z.infer<typeof jiraStep> | z.infer<typeof eventStep>;

const scenarioSchema = z.strictObject({
  description: z.string().optional(),
  settings: settings.optional(),
  site: site.optional(),
  jira: z.strictObject({ issues: issueMap }).optional(),
  steps: z.array(z.unknown()),
});

export type Scenario = Omit<z.infer<typeof scenarioSchema>, 'steps'> & { steps: ScenarioStep[] };

export class ScenarioError extends Error {}

export function parseScenario(input: unknown): Scenario {
  const frame = scenarioSchema.safeParse(input);
  if (!frame.success) throw new ScenarioError(formatIssues(frame.error.issues, []));

  const steps = frame.data.steps.map((step, index) => parseStep(step, index));
  return { ...frame.data, steps };
}

function parseStep(step: unknown, index: number): ScenarioStep {
  const path: (string | number)[] = ['steps', index];
  const kinds = Object.keys(STEP_KINDS) as (keyof typeof STEP_KINDS)[];
  const present =
    typeof step === 'object' && step !== null ? kinds.filter((kind) => kind in step) : [];
  if (present.length !== 1) {
    const got =
      typeof step === 'object' && step !== null
        ? Object.keys(step).join(', ') || 'no keys'
        : typeof step;
    throw new ScenarioError(
      `${path.join('.')}: expected exactly one of ${kinds.join(', ')}; got ${got}`,
    );
  }

  const kind = present[0] as keyof typeof STEP_KINDS;
  const parsed = STEP_KINDS[kind].safeParse(step);
  if (!parsed.success) throw new ScenarioError(formatIssues(parsed.error.issues, path));
  return parsed.data;
}

function formatIssues(issues: readonly z.core.$ZodIssue[], prefix: (string | number)[]): string {
  return issues
    .map((issue) => {
      const path = [...prefix, ...issue.path.map((part) => String(part))].join('.') || '(root)';
      return `${path}: ${issue.message}`;
    })
    .join('; ');
}
