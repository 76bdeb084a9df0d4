// The one error type the TypeScript API throws. `code` is stable for programs to branch
// on; `message` names the flag, segment or variant and says what to do about it.

export const VexilErrorCode = {
  FLAG_EXISTS: "FLAG_EXISTS",
  FLAG_NOT_FOUND: "FLAG_NOT_FOUND",
  FLAG_IN_USE: "FLAG_IN_USE",
  ENVIRONMENT_NOT_FOUND: "ENVIRONMENT_NOT_FOUND",
  SEGMENT_EXISTS: "SEGMENT_EXISTS",
  SEGMENT_NOT_FOUND: "SEGMENT_NOT_FOUND",
  SEGMENT_IN_USE: "SEGMENT_IN_USE",
  EXPERIMENT_EXISTS: "EXPERIMENT_EXISTS",
  EXPERIMENT_NOT_FOUND: "EXPERIMENT_NOT_FOUND",
  NAME_COLLISION: "NAME_COLLISION",
  VARIANT_EXISTS: "VARIANT_EXISTS",
  VARIANT_NOT_FOUND: "VARIANT_NOT_FOUND",
  VARIANT_IN_USE: "VARIANT_IN_USE",
  TYPE_MISMATCH: "TYPE_MISMATCH",
  INVALID_FLAG: "INVALID_FLAG",
  INVALID_SEGMENT: "INVALID_SEGMENT",
  INVALID_EXPERIMENT: "INVALID_EXPERIMENT",
  INVALID_ARGUMENT: "INVALID_ARGUMENT",
  INVALID_WEBHOOK: "INVALID_WEBHOOK",
  NOT_SUPPORTED: "NOT_SUPPORTED",
  STORAGE_ERROR: "STORAGE_ERROR",
  CLOSED: "CLOSED",
} as const;
export type VexilErrorCode = (typeof VexilErrorCode)[keyof typeof VexilErrorCode];

export class VexilError extends Error {
  readonly code: VexilErrorCode;

  constructor(code: VexilErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "VexilError";
    this.code = code;
  }
}
