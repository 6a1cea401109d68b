/**
 * Requests and limits for the components of an install, sized for the load they carry. Every
 * container gets both requests and limits; override single containers where a preset does not fit.
 */
export enum SizingPreset {
  /** A few dozen applications: evaluation, small teams. */
  SMALL = 'small',
  /** A few hundred applications. */
  MEDIUM = 'medium',
  /** Thousands of applications, or heavy manifest generation (large Helm charts, plugins). */
  LARGE = 'large',
}
