import { brand, hasBrand } from './private/brands';
import { invalid } from '../private/errors';

/**
 * An Argo CD release that output is written for. Settings whose form changed between releases
 * (e.g. commit signature verification, written as `sourceIntegrity` from 3.5 and as
 * `signatureKeys` before) follow it.
 */
export class ArgoCdVersion {
  /** Argo CD 3.5.1, the release this library is tested against. */
  public static readonly V3_5_1 = new ArgoCdVersion(3, 5, 1);

  /**
   * Any release, as `major.minor.patch` (or `major.minor` for its first patch release), from 2.0 on.
   * @param version e.g. `'3.4.2'`
   */
  public static of(version: string): ArgoCdVersion {
    const m = typeof version === 'string' ? /^v?(\d{1,3})\.(\d{1,3})(?:\.(\d{1,3}))?$/.exec(version) : null;
    if (!m || Number(m[1]) < 2) {
      invalid('ArgoCdVersion', 'version', `${JSON.stringify(version)} is not an Argo CD release: write 'major.minor.patch' from 2.0 on, e.g. '3.5.1'`);
    }
    return new ArgoCdVersion(Number(m[1]), Number(m[2]), Number(m[3] ?? 0));
  }

  /** True when `x` is an `ArgoCdVersion` (also from another copy of this library). */
  public static isArgoCdVersion(x: unknown): x is ArgoCdVersion {
    return hasBrand(x, 'ArgoCdVersion');
  }

  private constructor(
    /** The major version. */
    public readonly major: number,
    /** The minor version. */
    public readonly minor: number,
    /** The patch version. */
    public readonly patch: number,
  ) {
    brand(this, 'ArgoCdVersion');
  }

  /** True when this release is `major.minor` or later. */
  public isAtLeast(major: number, minor: number): boolean {
    return this.major > major || (this.major === major && this.minor >= minor);
  }

  /** `major.minor.patch`. */
  public toString(): string {
    return `${this.major}.${this.minor}.${this.patch}`;
  }
}
