/**
 * An explicit opt-in to something the library refuses by default, with the reason for the
 * record (reviewers read it in the construct's props).
 */
export interface Acknowledgement {
  /** Why the default is not right here. Required and non-blank. */
  readonly reason: string;
}
