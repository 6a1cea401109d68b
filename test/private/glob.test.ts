import { argoGlobMatch, globMatchesEverything } from '../../src/private/glob';

describe('globMatchesEverything', () => {
  test.each(['*', '**', '*/*', '{*}/{*}', '{a,*}/*', '*/{*}', '?*', '[!x]*', '*/*/*', '{*,x}', '*/[!z]*'])('%j matches everything', (pattern) => {
    expect(globMatchesEverything(pattern)).toBe(true);
  });

  test.each(['dev/*', 'p*', 'team-a/*', '{dev,prod}/*', '*/app', 'x*/*', '\\*/\\*', '\\{*\\}/*', '[a-c]*', 'https://github.com/org/*', '[', '{*'])('%j does not', (pattern) => {
    expect(globMatchesEverything(pattern)).toBe(false);
  });

  test('with separators, * stops at them but ** does not', () => {
    expect(globMatchesEverything('*', '/')).toBe(true); // every single name
    expect(globMatchesEverything('**', '/')).toBe(true);
    expect(globMatchesEverything('https://*', '/')).toBe(false);
    expect(globMatchesEverything('https://**', '/')).toBe(true);
  });

  test('escaped glob characters are literal', () => {
    expect(argoGlobMatch('\\*/\\*', '*/*')).toBe(true);
    expect(argoGlobMatch('\\*/\\*', 'a/b')).toBe(false);
  });

  test('is deterministic', () => {
    const patterns = ['*', 'a*', '*-*', '[!a]*', '?????*'];
    const first = patterns.map((p) => globMatchesEverything(p));
    expect(patterns.map((p) => globMatchesEverything(p))).toEqual(first);
  });
});
