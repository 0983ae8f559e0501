/**
 * PutLogEvents limits (CloudWatch Logs API reference, PutLogEvents). The local
 * emulator enforces none of them, so the code does.
 *
 * @module
 */

/** Bytes per request: UTF-8 message bytes plus {@link EVENT_OVERHEAD_BYTES} per event. */
export const MAX_BATCH_BYTES = 1_048_576;
/** Per-event overhead counted against the batch size. */
export const EVENT_OVERHEAD_BYTES = 26;
/** Events per request. */
export const MAX_BATCH_EVENTS = 10_000;
/** Largest single event (1 MiB including overhead), so the message may use the rest. */
export const MAX_EVENT_MESSAGE_BYTES = MAX_BATCH_BYTES - EVENT_OVERHEAD_BYTES;
/** A request may not span more than 24 hours. */
export const MAX_BATCH_SPAN_MS = 24 * 60 * 60 * 1000;
/** Events older than this are rejected by the API. */
export const MAX_EVENT_AGE_MS = 14 * 24 * 60 * 60 * 1000;
/** Events further than this in the future are rejected by the API. */
export const MAX_EVENT_FUTURE_MS = 2 * 60 * 60 * 1000;
/** We stay this far inside both time limits, so an event never expires in flight. */
export const TIME_LIMIT_MARGIN_MS = 60 * 1000;
