// Go's regexp (RE2) syntax, which External Secrets Operator compiles `find.name.regexp` with.
// RE2 has no lookaround, backreferences, possessive or atomic groups: such patterns fail in
// the controller, not at synth, unless refused here.
import { quoted, safeTextProblem } from '../../private/validate';

/** Constructs Perl and JavaScript have and RE2 refuses, with what to write instead. */
const UNSUPPORTED: readonly [RegExp, string][] = [
  [/\(\?<?[=!]/, 'lookahead and lookbehind'],
  [/\\[1-9]|\\k</, 'backreferences'],
  [/\(\?>/, 'atomic groups'],
  [/[*+?}][+]/, 'possessive quantifiers'],
  [/\(\?\(|\(\?#/, 'conditionals and comments'],
  [/\\[ZGz]|\\[cR]/, 'the escapes \\Z, \\G, \\c and \\R'],
];

/**
 * The JavaScript form of a Go pattern, for sampling what it matches: `(?flags)` become flags
 * of the whole pattern, `(?flags:` groups plain groups (an approximation only used for sampling),
 * `(?P<name>` named groups, `\A` `^`.
 */
function toJs(pattern: string): RegExp | undefined {
  let given = '';
  let body = pattern.replace(/\(\?([imsU]+)\)/g, (_all, f: string) => {
    given += f;
    return '';
  });
  const flags = [...new Set(given.replace(/U/g, '').split(''))].join('');
  body = body.replace(/\(\?[imsU-]+:/g, '(?:').replace(/\(\?P</g, '(?<').replace(/\\A/g, '^');
  try {
    return new RegExp(body, `${flags}u`);
  } catch {
    try {
      return new RegExp(body, flags);
    } catch {
      return undefined;
    }
  }
}

/** What is wrong with a Go (RE2) regular expression, or undefined. */
export function goRegexpProblem(pattern: string): string | undefined {
  const text = safeTextProblem(pattern, { maxLength: 1000 });
  if (text) return text;
  for (const [construct, what] of UNSUPPORTED) {
    if (construct.test(pattern)) {
      return `${quoted(pattern)} uses ${what}, which Go's regexp (RE2) does not support: write the pattern without them`;
    }
  }
  if (!toJs(pattern)) return `${quoted(pattern)} is not a regular expression: write one such as '^argocd/.*'`;
  return undefined;
}

/** Deterministic sample of secret names and paths, of the shapes providers use. */
function sample(): string[] {
  let seed = 0x5eed;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed;
  };
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:@ ';
  const names: string[] = ['', 'a', 'prod/db/password', 'argocd/repo-creds', 'team-b_token', 'x\ny'];
  for (let i = 0; i < 200; i++) {
    const length = 1 + (next() % 24);
    let name = '';
    for (let j = 0; j < length; j++) name += alphabet[next() % alphabet.length];
    names.push(name);
  }
  return names;
}
const SAMPLE = sample();

/**
 * True when the pattern matches (nearly) every name: ESO's find takes every secret whose
 * name the pattern matches anywhere, like Go's MatchString.
 */
export function goRegexpMatchesEverything(pattern: string): boolean {
  const re = toJs(pattern);
  if (!re) return false;
  const hits = SAMPLE.filter((name) => re.test(name)).length;
  return hits >= SAMPLE.length * 0.9;
}
