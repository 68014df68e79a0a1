/**
 * The few error classes that cross module boundaries (STYLE.md §6). Each has a stable `code` and a
 * message that says what to do. Per-item failures are not errors of this kind: they are data
 * (`ItemError`) recorded on the item. Only the CLI entry point maps these to exit codes.
 */

/** The user asked for something that cannot be done as asked: exit code 1, message shown as is. */
export class UserError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'UserError';
    this.code = code;
  }
}

/** The case directory is missing, from a newer version, or damaged. */
export class CaseError extends UserError {
  constructor(code: string, message: string) {
    super(code, message);
    this.name = 'CaseError';
  }
}
