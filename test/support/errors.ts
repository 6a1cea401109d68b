import { App } from 'cdk8s';

/**
 * The problems one synth of `app` reports (cdk8s runs every construct's validations and lists
 * them as `[path] message`), or none when it synthesizes.
 */
export function synthErrors(app: App): string[] {
  try {
    app.synthYaml();
  } catch (e) {
    const message = (e as Error).message;
    const lines = message.split('\n').slice(1).map((l) => l.trim()).filter((l) => l.length > 0);
    return message.startsWith('Validation failed') ? lines : [message];
  }
  return [];
}

/**
 * Asserts that one synth of `app` fails and reports a problem matching each pattern (and no
 * other problem); returns the problems.
 */
export function expectSynthErrors(app: App, patterns: RegExp[]): string[] {
  const errors = synthErrors(app);
  expect(errors.length).toBeGreaterThan(0);
  for (const pattern of patterns) {
    expect(errors.filter((e) => pattern.test(e))).not.toEqual([]);
  }
  const unexpected = errors.filter((e) => !patterns.some((p) => p.test(e)));
  expect(unexpected).toEqual([]);
  return errors;
}
