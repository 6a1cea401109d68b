// Strict schema validation as a rule: Kubernetes 1.28 and the pinned CRDs, unknown fields are
// errors (the schemas ship in the package's schemas/ folder).
import { rule, RuleDefinition, violation } from '../private/rule';
import { schemaProblems } from '../private/schema';

export const SCHEMA_STRICT = rule('schema', {
  id: 'SCHEMA-STRICT',
  title: 'Objects are valid against Kubernetes 1.28 and the pinned CRDs, with no unknown fields',
  why: 'The API server refuses invalid objects mid-sync, and drops unknown fields silently, so a misspelt '
    + 'security setting looks applied in Git but is not.',
  fix: 'Correct the field the finding names (the message says what is expected); check the apiVersion and kind.',
  check: (m) => schemaProblems(m).map((p) => violation(p.path, p.problem)),
});

export const SCHEMA_RULES: RuleDefinition[] = [SCHEMA_STRICT];
