import { LocalJira } from './local-jira';
import type { Caller } from './local-jira-directory';

/** Project entity properties on the local Jira, answered as Jira Cloud's REST API does. */

const APP: Caller = { provider: 'app', user: undefined };
const asUser = (...permissions: string[]): Caller => ({
  provider: 'user',
  user: { accountId: '712020:someone', permissions },
});
const PATH = '/rest/api/3/project/10000/properties/tasksource-for-jira';

function jira(): LocalJira {
  const local = new LocalJira();
  local.directory.addProjects({ '10000': { key: 'KAN', name: 'Kanban' } });
  return local;
}

describe('project properties on the local Jira', () => {
  it('creates (201), reads, replaces (200) and deletes (204) a property as the app', () => {
    const local = jira();

    expect(local.handle('GET', PATH, undefined, APP).status).toBe(404);
    expect(local.handle('PUT', PATH, { configured: true }, APP).status).toBe(201);
    expect(local.handle('GET', PATH, undefined, APP)).toEqual({
      status: 200,
      body: { key: 'tasksource-for-jira', value: { configured: true } },
    });
    expect(local.handle('PUT', PATH, { configured: false }, APP).status).toBe(200);
    expect(local.projectProperties.get('10000', 'tasksource-for-jira')).toEqual({
      configured: false,
    });
    expect(local.handle('DELETE', PATH, undefined, APP).status).toBe(204);
    expect(local.handle('GET', PATH, undefined, APP).status).toBe(404);
    expect(local.handle('DELETE', PATH, undefined, APP).status).toBe(404);
  });

  it('finds the project by key, on REST API v2 as well', () => {
    const local = jira();
    local.handle('PUT', '/rest/api/2/project/KAN/properties/k', { a: 1 }, APP);

    expect(local.projectProperties.all('10000')).toEqual({ k: { a: 1 } });
  });

  it('lets users change properties only with Administer Projects or Jira administration', () => {
    const local = jira();

    const refused = local.handle('PUT', PATH, { configured: true }, asUser('BROWSE_PROJECTS'));
    expect(refused.status).toBe(403);
    expect(local.handle('DELETE', PATH, undefined, asUser()).status).toBe(403);
    expect(local.projectProperties.all('10000')).toEqual({});

    expect(local.handle('PUT', PATH, { v: 1 }, asUser('ADMINISTER_PROJECTS')).status).toBe(201);
    expect(local.handle('PUT', PATH, { v: 2 }, asUser('ADMINISTER')).status).toBe(200);
    expect(local.handle('GET', PATH, undefined, asUser()).status).toBe(200);
  });

  it('answers 404 for a project it does not know', () => {
    const answer = jira().handle('PUT', '/rest/api/3/project/99/properties/k', { a: 1 }, APP);

    expect(answer).toEqual({
      status: 404,
      body: { errorMessages: ["No project could be found with key '99'."], errors: {} },
    });
  });

  it.each([
    ['no body', undefined],
    ['null', null],
    ['a value over 32,768 characters', { text: 'x'.repeat(32_768) }],
  ])('refuses %s with 400 and keeps nothing', (_, body) => {
    const local = jira();

    expect(local.handle('PUT', PATH, body, APP).status).toBe(400);
    expect(local.projectProperties.all('10000')).toEqual({});
  });

  it('refuses a key over 255 characters', () => {
    const path = `/rest/api/3/project/10000/properties/${'k'.repeat(256)}`;

    expect(jira().handle('PUT', path, { a: 1 }, APP).status).toBe(400);
  });

  it('hands out copies, so nobody changes a stored value by accident', () => {
    const local = jira();
    local.projectProperties.set('10000', 'k', { list: [1] });

    (local.projectProperties.all('10000').k as { list: number[] }).list.push(2);

    expect(local.projectProperties.get('10000', 'k')).toEqual({ list: [1] });
  });
});
