/** Exit codes of every trove command (ARCHITECTURE.md, "Command line"). */
export const EXIT_OK = 0;
/** The user asked for something impossible; the message says what to do. */
export const EXIT_USER_ERROR = 1;
/** The run finished, but some items failed; `trove errors` says which. */
export const EXIT_ITEMS_FAILED = 2;
