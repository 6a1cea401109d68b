// Strict schema validation for tests: the implementation ships in the library
// (src/policy/private/schema.ts, the SCHEMA-STRICT rule of the policy pack).
import { describeObject, validateManifests } from '../../src/policy/private/schema';

export { describeObject, validateManifests };

/** Throws one error listing every problem, if there are any. */
export function expectValid(manifests: object[]): void {
  const problems = validateManifests(manifests);
  if (problems.length > 0) {
    throw new Error(`${problems.length} invalid field(s) in the synthesized objects:\n  ${problems.join('\n  ')}`);
  }
}
