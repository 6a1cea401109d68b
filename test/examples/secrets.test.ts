import { exampleTest } from '../support/examples';

exampleTest('secrets', {
  // The database password is sealed at synth from this variable; unset (as in CI), the example
  // reuses the ciphertext committed in its lock file, which is the intended path.
  expectedWarnings: [/environment variable EXAMPLE_APP_DB_PASSWORD is not available: reusing the sealed value/],
});
