import { TasksourceAppError } from '../core/errors';

/** The caller lacks the Jira permission a change needs. Nothing was written. */
export class ForbiddenError extends TasksourceAppError {}

/** The page asked for something that needs tasksource to be connected first. */
export class NotConnectedError extends TasksourceAppError {}
