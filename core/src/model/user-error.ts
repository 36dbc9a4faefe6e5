import { formatProblems, type Problem } from './result.js';

/**
 * An error the user caused (bad flag, bad file, bad request). The CLI prints its message and exits
 * non-zero without a stack trace. Programmer errors stay plain Errors.
 */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'UserError';
  }

  static fromProblems(where: string, problems: readonly Problem[]): UserError {
    return new UserError(`${where}\n${formatProblems(problems).replace(/^/gm, '  ')}`);
  }
}
