/** Stable error codes, a closed set. Messages never carry secret values. */
export type RosterErrorCode =
  | 'BAD_INPUT'
  | 'UNKNOWN_FORMAT'
  | 'AMBIGUOUS_FORMAT'
  | 'SECRET_REFUSED'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'ILLEGAL_TRANSITION'
  | 'CONFIG'
  | 'STORE'
  | 'POLICY'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN';

/** Base class of every error Roster raises on purpose. */
export class RosterError extends Error {
  readonly code: RosterErrorCode;
  readonly details?: Readonly<Record<string, unknown>>;

  constructor(code: RosterErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'RosterError';
    this.code = code;
    if (details) this.details = details;
  }
}
