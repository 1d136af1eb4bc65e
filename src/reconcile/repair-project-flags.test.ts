import { PermanentError, RetriableError } from '../core/errors';
import { createLogger } from '../core/logger';
import { PROJECT_FLAG } from '../core/project-flag';
import type { StoredSettings } from '../core/settings';
import type { ProjectFlags } from '../settings/ports';
import { MAX_FLAG_CHECKS, projectsToCheck, repairProjectFlags } from './repair-project-flags';

/** The hourly repair of project flags, against an in-memory flag store. */

const HOUR = 3_600_000;
const log = createLogger({ level: 'silent' });

function settingsFor(ids: readonly string[]): StoredSettings {
  return {
    version: 1,
    projects: Object.fromEntries(ids.map((id) => [id, { labels: [], enabled: false }])),
  };
}

/** Flags by project id; a function value is thrown instead of answering, for that project. */
function flagStore(stored: Record<string, unknown>, fail: Record<string, () => Error> = {}) {
  const written: string[] = [];
  const flags: ProjectFlags = {
    read: async (projectId) => {
      const failure = fail[projectId];
      if (failure) throw failure();
      return stored[projectId];
    },
    write: async (projectId) => {
      written.push(projectId);
    },
  };
  return { flags, written };
}

describe('repairProjectFlags', () => {
  it('writes the flag where it is missing or says something else, and leaves set ones be', async () => {
    const { flags, written } = flagStore({
      '10000': PROJECT_FLAG,
      '10001': undefined,
      '10002': { configured: false },
      '10003': 'configured',
    });

    const summary = await repairProjectFlags(settingsFor(['10000', '10001', '10002', '10003']), {
      flags,
      log,
      now: () => 0,
    });

    expect(written).toEqual(['10001', '10002', '10003']);
    expect(summary).toEqual({ checked: 4, repaired: 3, failed: 0, requests: 7 });
  });

  it('carries on past a project Jira refuses, and counts it failed', async () => {
    const { flags, written } = flagStore({}, { '10001': () => new PermanentError('[jira] 403') });

    const summary = await repairProjectFlags(settingsFor(['10000', '10001', '10002']), {
      flags,
      log,
      now: () => 0,
    });

    expect(written).toEqual(['10000', '10002']);
    expect(summary).toEqual({ checked: 3, repaired: 2, failed: 1, requests: 5 });
  });

  it('stops after the batch in which Jira was busy, leaving the rest for the next run', async () => {
    const ids = Array.from({ length: 25 }, (_, index) => String(10000 + index));
    const { flags, written } = flagStore(Object.fromEntries(ids.map((id) => [id, PROJECT_FLAG])), {
      '10003': () => new RetriableError('[jira] 429'),
    });

    const summary = await repairProjectFlags(settingsFor(ids), { flags, log, now: () => 0 });

    expect(written).toEqual([]);
    expect(summary).toEqual({ checked: 10, repaired: 0, failed: 1, requests: 10 });
  });

  it('writes nothing for a site with no configured project', async () => {
    const { flags, written } = flagStore({});

    expect(await repairProjectFlags(settingsFor([]), { flags, log, now: () => 0 })).toEqual({
      checked: 0,
      repaired: 0,
      failed: 0,
      requests: 0,
    });
    expect(written).toEqual([]);
  });
});

describe('projectsToCheck', () => {
  it('takes every project, in id order, when they fit in one run', () => {
    expect(projectsToCheck(['10002', '10000', '10001'], 5 * HOUR)).toEqual([
      '10000',
      '10001',
      '10002',
    ]);
  });

  it('takes a different slice each hour and covers every project within a few hours', () => {
    const ids = Array.from({ length: 250 }, (_, index) => String(20000 + index));

    const hours = [0, 1, 2].map((hour) => projectsToCheck(ids, hour * HOUR + 1234));

    expect(hours.map((slice) => slice.length)).toEqual([
      MAX_FLAG_CHECKS,
      MAX_FLAG_CHECKS,
      MAX_FLAG_CHECKS,
    ]);
    expect(hours[1]![0]).toBe('20100');
    expect(new Set(hours.flat()).size).toBe(250);
  });
});
