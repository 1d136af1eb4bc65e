import type { JiraAnswer } from './local-jira';
import type { Caller, DirectoryProject } from './local-jira-directory';

/**
 * Project entity properties, as Jira Cloud's REST API serves them (v2 and v3):
 * `GET`, `PUT` and `DELETE /rest/api/{2,3}/project/{projectIdOrKey}/properties/{propertyKey}`.
 * Reading needs only to see the project; writing and deleting need Administer Projects on it
 * (or Jira administration). A `resolve` step's user holds what its `permissions` list; the app
 * is taken to administer every project, as Forge's app user is assumed to (KNOWN_ISSUES.md).
 * The trigger filter reads them too (`event.runtime.project.properties`).
 */

/** Jira's limits: keys up to 255 characters, values up to 32,768 characters of JSON. */
const MAX_KEY_LENGTH = 255;
const MAX_VALUE_LENGTH = 32_768;

const PATH = /^\/rest\/api\/[23]\/project\/([^/]+)\/properties\/([^/]+)$/;
const ADMINISTERS = ['ADMINISTER', 'ADMINISTER_PROJECTS'];

export class LocalProjectProperties {
  /** Project id → property key → value. */
  private readonly values = new Map<string, Map<string, unknown>>();

  constructor(private readonly findProject: (idOrKey: string) => DirectoryProject | undefined) {}

  /** Sets (or, with `null`, removes) a property directly: site state a scenario starts from. */
  set(projectId: string, key: string, value: unknown): void {
    const properties = this.values.get(projectId) ?? new Map<string, unknown>();
    if (value === null) properties.delete(key);
    else properties.set(key, structuredClone(value));
    this.values.set(projectId, properties);
  }

  get(projectId: string, key: string): unknown {
    return structuredClone(this.values.get(projectId)?.get(key));
  }

  /** Every property of a project, by key: what `event.runtime.project.properties` holds. */
  all(projectId: string): Record<string, unknown> {
    return structuredClone(Object.fromEntries(this.values.get(projectId) ?? []));
  }

  handle(method: string, path: string, body: unknown, caller: Caller): JiraAnswer | undefined {
    const match = PATH.exec(path);
    if (!match) return undefined;

    const [, idOrKey = '', key = ''] = match;
    const project = this.findProject(idOrKey);
    if (!project) return notFound(`No project could be found with key '${idOrKey}'.`);
    if (method === 'GET') return this.read(project.id, key);
    if (method !== 'PUT' && method !== 'DELETE') {
      return { status: 405, body: { errorMessages: [`${method} is not allowed here.`] } };
    }

    if (!mayAdminister(caller)) {
      return {
        status: 403,
        body: {
          errorMessages: ['You need the Administer Projects permission to change its properties.'],
          errors: {},
        },
      };
    }
    return method === 'PUT' ? this.write(project.id, key, body) : this.remove(project.id, key);
  }

  private read(projectId: string, key: string): JiraAnswer {
    const properties = this.values.get(projectId);
    if (!properties?.has(key)) return notFound(`The property '${key}' does not exist.`);

    return { status: 200, body: { key, value: structuredClone(properties.get(key)) } };
  }

  private write(projectId: string, key: string, value: unknown): JiraAnswer {
    if (key.length > MAX_KEY_LENGTH) {
      return badRequest(`The property key can not be longer than ${MAX_KEY_LENGTH} characters.`);
    }
    if (value === undefined || value === null || JSON.stringify(value).length > MAX_VALUE_LENGTH) {
      return badRequest(
        `The property value must be valid JSON of at most ${MAX_VALUE_LENGTH} characters.`,
      );
    }

    const existed = this.values.get(projectId)?.has(key) ?? false;
    this.set(projectId, key, value);
    return { status: existed ? 200 : 201, body: {} };
  }

  private remove(projectId: string, key: string): JiraAnswer {
    if (!this.values.get(projectId)?.has(key)) {
      return notFound(`The property '${key}' does not exist.`);
    }
    this.values.get(projectId)?.delete(key);
    return { status: 204, body: '' };
  }
}

function mayAdminister(caller: Caller): boolean {
  if (caller.provider !== 'user') return true;

  return (caller.user?.permissions ?? []).some((permission) => ADMINISTERS.includes(permission));
}

function notFound(message: string): JiraAnswer {
  return { status: 404, body: { errorMessages: [message], errors: {} } };
}

function badRequest(message: string): JiraAnswer {
  return { status: 400, body: { errorMessages: [message], errors: {} } };
}
