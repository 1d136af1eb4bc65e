import { PermanentError } from '../core/errors';

/** Jira answered 400 to a search: the JQL (or a page token) is not one it accepts. */
export class JqlRefusedError extends PermanentError {
  /** Jira's `errorMessages`, cut short: they name the clause or value Jira refused. */
  readonly jiraMessages: readonly string[];

  constructor(message: string, jiraMessages: readonly string[]) {
    super(message);
    this.jiraMessages = jiraMessages;
  }
}
