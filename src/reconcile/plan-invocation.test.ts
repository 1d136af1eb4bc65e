import type { StoredSettings } from '../core/settings';
import { IN_FLIGHT_MS, newRun, planInvocation, SAFETY_MARGIN_MS } from './plan-invocation';
import type { ReconcileState } from './reconcile-state';
import { labelsFingerprint } from './reconcile-state';

const settings: StoredSettings = {
  version: 1,
  projects: {
    '10000': { labels: ['a'], enabled: true },
    '10003': { labels: ['b'], enabled: true },
  },
};
const now = Date.UTC(2026, 11, 4, 12, 0);
const hourAgo = now - 3_600_000;
const run = newRun({ runId: 'r1', now, timeZone: 'UTC', scoped: false, projects: [] });

describe('planInvocation', () => {
  it('searches everything in full on a fresh start, releases first', () => {
    expect(planInvocation({ kind: 'scheduled' }, { version: 1 }, settings, now)).toEqual({
      action: 'start',
      scoped: false,
      projects: [
        { id: '10000', since: null },
        { id: '10003', since: null },
      ],
    });
    expect(run).toMatchObject({ phase: 'releases', until: now - IN_FLIGHT_MS, step: 0 });
  });

  it('looks back from the last run, except at projects whose labels were never searched', () => {
    const state: ReconcileState = {
      version: 1,
      lastRunAt: hourAgo,
      covered: { '10000': labelsFingerprint(['a']), '10003': labelsFingerprint(['old']) },
    };
    expect(planInvocation({ kind: 'scheduled' }, state, settings, now)).toMatchObject({
      projects: [
        { id: '10000', since: hourAgo - SAFETY_MARGIN_MS },
        { id: '10003', since: null },
      ],
    });
  });

  it('does not repeat a run that finished minutes ago (a duplicate firing)', () => {
    const state: ReconcileState = { version: 1, lastRunAt: now - 60_000 };
    expect(planInvocation({ kind: 'scheduled' }, state, settings, now)).toEqual({
      action: 'skip',
      reason: 'ran-recently',
    });
  });

  it('continues a run in progress, but only from the step the state is at', () => {
    const state: ReconcileState = { version: 1, run: { ...run, step: 2 } };
    const resume = (step: number) => ({ kind: 'message' as const, resume: { runId: 'r1', step } });

    expect(planInvocation(resume(2), state, settings, now).action).toBe('continue');
    expect(planInvocation(resume(1), state, settings, now)).toEqual({
      action: 'skip',
      reason: 'stale-resume',
    });
    expect(planInvocation({ kind: 'scheduled' }, state, settings, now).action).toBe('continue');
  });

  it('makes a scoped first run, or adds the projects to the run in progress', () => {
    const first = { kind: 'message' as const, projectIds: ['10003', '99999'] };
    expect(planInvocation(first, { version: 1 }, settings, now)).toEqual({
      action: 'start',
      scoped: true,
      projects: [{ id: '10003', since: null }],
    });

    const joined = planInvocation(first, { version: 1, run }, settings, now);
    expect(joined).toMatchObject({ action: 'join', run: { projects: [{ id: '10003' }] } });
  });
});
