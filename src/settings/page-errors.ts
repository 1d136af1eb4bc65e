import { TasksourceAppError, ValidationError } from '../core/errors';

/** The caller lacks the Jira permission a change needs. Nothing was written. */
export class ForbiddenError extends TasksourceAppError {}

/** The page asked for something that needs tasksource to be connected first. */
export class NotConnectedError extends TasksourceAppError {}

/**
 * Labels refused only because they look like existing ones; `acceptLookalikes` saves them
 * anyway.
 */
export class LookalikeLabelsError extends ValidationError {}

/** What the page named is not there (any more): a dead letter already resent, say. */
export class NotFoundError extends TasksourceAppError {}
