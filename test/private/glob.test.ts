import * as fc from 'fast-check';
import { argoGlobLiterals, argoGlobMatch, globMatchesEverything, globOutcomes } from '../../src/private/glob';

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

describe('globOutcomes', () => {
  const outcomes = (patterns: string[], parts: string[]) => globOutcomes(patterns, parts)?.map((o) => o.join(',')).sort();

  test('a fixed value: exactly what the glob answers', () => {
    const patterns = ['team-*', '{a,b}-x', '[!a]*', 'x\\*', '[a-c]?', '[', '*', ''];
    for (const value of ['team-a', 'a-x', 'b', 'x*', 'xy', 'c1', '', '[']) {
      expect(globOutcomes(patterns, [value])).toEqual([patterns.map((p) => argoGlobMatch(p, value))]);
    }
  });

  test('a template: every answer some value of it gives, and no other', () => {
    expect(outcomes(['team-*'], ['team-', ''])).toEqual(['true']);
    expect(outcomes(['prod'], ['team-', ''])).toEqual(['false']);
    expect(outcomes(['team-a'], ['team-', ''])).toEqual(['false', 'true']);
    expect(outcomes(['*.example.com'], ['https://', '.example.org'])).toEqual(['false']);
    expect(outcomes(['https://*.dev.example.com'], ['https://', '.example.com'])).toEqual(['false', 'true']);
    // Both at once: a value in team-* but outside team-secret*, and one in both; never one in neither.
    expect(outcomes(['team-*', 'team-secret*'], ['team-', ''])).toEqual(['true,false', 'true,true']);
    expect(outcomes(['{a,b}[x-z]?'], ['', '-'])).toEqual(['false', 'true']);
    expect(outcomes(['?'], ['', ''])).toEqual(['false', 'true']);
  });

  test('gives up (undefined) past its budget', () => {
    expect(globOutcomes(['*a????????', '*b????????', '*c????????'], ['', ''], 50)).toBeUndefined();
  });

  // Small alphabets and patterns of at most three characters, so that fillings of up to three reach every answer: each answer found is one some
  // filling gives, and every filling's answer is found.
  const char = fc.constantFrom('a', 'b', '-');
  const pattern = fc.array(fc.oneof(char, fc.constantFrom('*', '?', '[a-b]', '[!a]', '{a,-}', '\\*', '[ab]')), { maxLength: 3 }).map((p) => p.join(''));
  const text = fc.array(char, { maxLength: 2 }).map((t) => t.join(''));
  const fillings = (() => {
    const out = [''];
    for (let n = 0; n < 3; n++) for (const f of [...out]) for (const c of ['a', 'b', '-', '*', 'z']) out.push(f + c);
    return [...new Set(out)];
  })();

  test('matches brute force over fillings', () => {
    fc.assert(fc.property(fc.array(pattern, { minLength: 1, maxLength: 3 }), fc.array(text, { minLength: 1, maxLength: 3 }), (patterns, parts) => {
      const found = new Set(outcomes(patterns, parts));
      const brute = new Set<string>();
      const fill = (k: number, prefix: string): void => {
        if (k === parts.length - 1) {
          brute.add(patterns.map((p) => argoGlobMatch(p, prefix + parts[k])).join(','));
          return;
        }
        for (const f of fillings) fill(k + 1, prefix + parts[k] + f);
      };
      fill(0, '');
      expect([...found].sort()).toEqual([...brute].sort());
    }), { numRuns: 150 });
  });
});

describe('argoGlobLiterals', () => {
  test('the characters a glob matches literally, as the matcher reads it', () => {
    expect(argoGlobLiterals('a*.{b,c}')).toEqual(['a', '.', 'b', 'c']);
    expect(argoGlobLiterals('[!x]?[a-z]\\*')).toEqual(['x', 'a', 'z', '*']);
    // Outside braces ',' and '}' are text; '!' only negates right after '['.
    expect(argoGlobLiterals('a,b}!')).toEqual(['a', ',', 'b', '}', '!']);
    expect(argoGlobLiterals('')).toEqual([]);
  });

  test('undefined for what gobwas refuses', () => {
    for (const pattern of ['{a', '[a-', '[a-z0-9]', 'a\\', '[]']) expect(argoGlobLiterals(pattern)).toBeUndefined();
  });
});
