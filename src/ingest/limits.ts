/**
 * Limits against hostile input (zip bombs, endless nesting, giant parts). Each is reported when hit,
 * as an error on the item, never silently applied.
 */

/** Containers and emails nested deeper than this are stored but not opened. */
export const MAX_NESTING_DEPTH = 16;
/** An archive entry that inflates more than this many times its compressed size is refused... */
export const MAX_COMPRESSION_RATIO = 200;
/** ...once it is larger than this (small, very compressible files are common and harmless). */
export const RATIO_CHECK_MIN_BYTES = 8 * 1024 * 1024;
/** One archive entry may not inflate to more than this. */
export const MAX_ENTRY_BYTES = 16 * 1024 * 1024 * 1024;
/** All entries of one archive together may not inflate to more than this. */
export const MAX_ARCHIVE_TOTAL_BYTES = 64 * 1024 * 1024 * 1024;
/** Items up to this size are read into memory and processed by a worker; larger ones are streamed. */
export const IN_MEMORY_ITEM_BYTES = 32 * 1024 * 1024;
/** Emails larger than this are stored but not parsed. */
export const MAX_EMAIL_PARSE_BYTES = 256 * 1024 * 1024;
