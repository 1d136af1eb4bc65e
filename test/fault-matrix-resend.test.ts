import type { ReplayLine } from '../local/replay/run-scenario';
import { INTEGRATION, WEBHOOK_URL } from './support/builders';
import { expectPromiseKept } from './support/delivery-invariants';
import { changeEvents, hours, jiraStep, minutes, outsourcedIssues } from './support/fault-matrix';
import { ADMIN, PAGE_SITE } from './support/page-users';
import { replay } from './support/replay';

/**
 * Issue 4's fault matrix: dead letters resent from the admin
 * page. Each case is a replay scenario on the local runtime,
 * the emulated clock moving Forge's queue and schedules on. Whatever the fault, every
 * outsourced change reaches tasksource exactly once by delivery id, in sequence order per
 * issue, or sits in dead letters with its reason; and no invocation runs over its Forge time
 * limit (`expectPromiseKept`).
 */

jest.setTimeout(120_000);

describe('dead letters resent from the admin page', () => {
  const admin = (call: string, payload: unknown = {}) => ({
    resolve: { module: 'admin', as: ADMIN, call, payload },
  });
  const issues = outsourcedIssues(2, { comments: 1 });

  it('after an outage longer than the retries: every change arrives once, same id', async () => {
    const replayed = await replay(
      [
        jiraStep(issues),
        { receiver: { answer: 503 } },
        ...changeEvents(issues, 3),
        hours(24),
        hours(24),
        hours(25),
        { receiver: { answer: 200 } },
        admin('admin/deliveries'),
        admin('admin/resend-all'),
        minutes(10),
      ],
      { jiraState: PAGE_SITE },
    );

    const letters = replayed.lines.filter((line) => line.type === 'deadletter');
    const account = expectPromiseKept(replayed, 6);
    expect(letters).toHaveLength(6);
    expect(account.deadLetters).toEqual([]);
    expect([...account.accepted].sort()).toEqual(
      letters.map((letter) => (letter as { deliveryId: string }).deliveryId).sort(),
    );
    const listed = replayed.lines.find((line) => line.type === 'resolve') as {
      data: { deadLetters: { reason: string; resentTogether: boolean }[] };
    };
    expect(listed.data.deadLetters).toHaveLength(6);
    expect(listed.data.deadLetters.every((letter) => letter.reason === 'expired')).toBe(true);
    for (const { id } of issues) expect(account.sequences[id]).toEqual([4, 5, 6]);
  });

  it('after tasksource disabled the endpoint (410): nothing is sent until reconnected', async () => {
    const replayed = await replay(
      [
        jiraStep(issues),
        { receiver: { respond: [410] } },
        ...changeEvents(issues, 2),
        minutes(10),
        admin('admin/resend-all'),
        admin('admin/save', { webhookUrl: WEBHOOK_URL, integrationAccountId: INTEGRATION }),
        admin('admin/resend-all'),
        minutes(10),
      ],
      { jiraState: PAGE_SITE },
    );

    const letters = replayed.lines.filter((line) => line.type === 'deadletter');
    const account = expectPromiseKept(replayed, 4);
    expect(letters).toHaveLength(4);
    expect(replayed.deliveries.filter((line) => line.status === 410)).toHaveLength(1);
    const [refused, saved, resent] = replayed.lines.filter(
      (line): line is Extract<ReplayLine, { type: 'resolve' }> => line.type === 'resolve',
    );
    expect(refused).toMatchObject({ ok: false, error: { code: 'not-connected' } });
    expect(saved).toMatchObject({ ok: true });
    expect(resent).toMatchObject({ ok: true, data: { resent: 4, remaining: 0 } });
    expect(account.accepted).toHaveLength(4);
    expect(account.deadLetters).toEqual([]);
  });
});
