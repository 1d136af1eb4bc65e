import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { TasksourceReceiver } from '../local/receiver/tasksource-receiver';
import { makeEvent, makeIssue, makeSettings, SECRET } from './support/builders';

/** `npm start` and `npm run replay` as a user runs them: a child process, stdout and exit code. */

const ROOT = join(__dirname, '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const dir = mkdtempSync(join(tmpdir(), 'tasksource-replay-'));

function run(args: string[]) {
  const result = spawnSync(TSX, [join(ROOT, 'local', 'cli.ts'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, LOG_LEVEL: 'info' },
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function scenarioFile(name: string, content: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

const issue = makeIssue();
const hostile = {
  settings: makeSettings(),
  jira: { issues: { '10021': issue } },
  steps: [
    {
      event: {
        eventType: 'avi:jira:updated:issue',
        issue: { id: 10021, key: 5 },
        timestamp: 'yesterday',
      },
    },
    {
      event: { eventType: 'avi:jira:commented:issue', issue: { id: '10021' }, comment: { id: [] } },
    },
    { event: { eventType: 'avi:jira:created:issue', issue: { id: '1'.repeat(40) } } },
    { event: makeEvent('avi:jira:created:issue', issue) },
    { event: { eventType: '__proto__', issue: { id: '10021' } } },
  ],
};

describe('npm start', () => {
  it('prints the demo table and exits 0', () => {
    const { code, stdout } = run(['demo']);

    expect(code).toBe(0);
    expect(stdout).toContain('tasksource received');
    expect(stdout).toContain('jira:issue_created KAN-22 (outsourced) -> HTTP 200, signatures ok');
    expect(stdout).toContain('nothing: this change was already delivered');
  });
});

describe('npm run replay -- <file> --json', () => {
  it('prints one JSON object a line, in order, with logs on stderr only', () => {
    const { code, stdout, stderr } = run([
      'replay',
      scenarioFile('hostile.json', hostile),
      '--json',
    ]);

    expect(code).toBe(0);
    const lines = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    // The third event names an issue no project has: the trigger filter fails and fails open.
    expect(lines.map((line) => line.type)).toEqual([
      'skip',
      'skip',
      'filter-error',
      'skip',
      'delivery',
      'skip',
    ]);
    expect(lines[2]).toMatchObject({ projectId: null, detail: expect.stringContaining('onError') });
    expect(lines[4]).toMatchObject({
      status: 200,
      verified: true,
      headers: { 'webhook-id': expect.any(String) },
    });
    expect(JSON.parse(lines[4]!.raw as string)).toEqual(lines[4]!.body);
    expect(lines[0]).toMatchObject({
      eventType: 'avi:jira:updated:issue',
      issueId: '10021',
      reason: 'invalid-event',
    });
    expect(stderr).toContain('"message":"Delivered to tasksource"');
    expect(stderr).not.toContain(SECRET);
  });

  it('sends deliveries to --target instead of the bundled receiver', async () => {
    const receiver = await TasksourceReceiver.start();
    receiver.secret = SECRET;
    try {
      const file = scenarioFile('target.json', { ...hostile, steps: hostile.steps.slice(3, 4) });
      const result = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
        const args = [
          join(ROOT, 'local', 'cli.ts'),
          'replay',
          file,
          '--json',
          '--target',
          `${receiver.url}/hook`,
        ];
        const child = spawn(TSX, args, { cwd: ROOT });
        let stdout = '';
        child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
        child.on('close', (code: number | null) => resolve({ code, stdout }));
      });

      expect(result.code).toBe(0);
      expect(receiver.deliveries).toHaveLength(1);
      expect(receiver.deliveries[0]).toMatchObject({ path: '/hook', verified: true });
      expect(JSON.parse(result.stdout.trim())).toMatchObject({
        type: 'delivery',
        status: 200,
        verified: true,
      });
    } finally {
      await receiver.close();
    }
  });

  it.each([
    [
      'a step of an unknown kind',
      { steps: [{ event: {} }, { wait: 5 }] },
      'steps.1: expected exactly one of jira, event, resolve, receiver, kvs, advance, parallel',
    ],
    [
      'an issue that is not an object',
      { steps: [{ jira: { issues: { '10021': 'KAN-22' } } }] },
      'steps.0.jira.issues.10021',
    ],
    [
      'an issue id that is not numeric',
      { jira: { issues: { 'KAN-1': {} } }, steps: [] },
      'jira.issues.KAN-1',
    ],
    ['no steps', { settings: makeSettings() }, 'steps'],
    [
      'an http webhook URL',
      { settings: makeSettings({ webhookUrl: 'http://api.tasksource.io/jira' }), steps: [] },
      'settings.webhookUrl',
    ],
    [
      'a label with a space',
      { settings: makeSettings({ projects: { '10000': { labels: ['acme web'] } } }), steps: [] },
      'settings.projects.10000.labels.0',
    ],
    ['an unknown top-level key', { steps: [], stepz: [] }, 'stepz'],
  ])('refuses a scenario with %s, naming the bad path, exit 2', (_, content, path) => {
    const { code, stderr, stdout } = run(['replay', scenarioFile('bad.json', content)]);

    expect(code).toBe(2);
    expect(stderr).toContain(path);
    expect(stdout).toBe('');
  });

  it.each([
    ['a file that is not JSON', [scenarioFile('broken.json', '{"steps": [')], 'is not JSON'],
    ['a missing file', [join(dir, 'missing.json')], 'cannot read'],
    [
      'an unknown option',
      [scenarioFile('ok.json', { steps: [] }), '--jsno'],
      'unknown option --jsno',
    ],
    [
      'a target that is not a URL',
      [scenarioFile('ok2.json', { steps: [] }), '--target', 'localhost'],
      '--target expects',
    ],
    ['no file', [], 'usage'],
  ])('refuses %s with exit 2', (_, args, message) => {
    const { code, stderr } = run(['replay', ...args]);

    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });
});
