// Repository URLs as Argo CD reads them: the forms it accepts and `git.NormalizeGitURL`.
import { compileArgoGlob } from '../../private/glob';
import { quoted } from '../../private/validate';

/**
 * Argo CD's `git.NormalizeGitURL`: lower case, `user@host:path` as `user@host/path`, no `.git`
 * suffix, no `ssh://` prefix.
 */
export function normalizeGitUrl(url: string): string {
  let repo = url.trim().toLowerCase();
  const scp = /^([\w.-]+@[^/:]+):(?!\/\/)(.*)$/.exec(repo);
  if (!repo.startsWith('ssh://') && scp) repo = `${scp[1]}/${scp[2]}`;
  if (repo.endsWith('.git')) repo = repo.slice(0, -4);
  return repo.replace(/^ssh:\/\//, '');
}

const REVISION_CHARACTERS = /^[A-Za-z0-9._/@+-]+$/;

/**
 * What is wrong with a Git revision (a branch, tag or commit SHA), or undefined. Ref names may
 * hold '@' (not alone) and '+' (semver build metadata in tags: 'v1.0.0+build.1'); otherwise the
 * rules of `git check-ref-format`: no '..', no '//', no component starting with '.' or ending in
 * '.lock', no leading or trailing '/', no trailing '.'. A leading '-' is refused: Argo CD v3.5.1
 * passes the revision to `git fetch origin <revision>`, `git cat-file -t <revision>` and
 * `git checkout --force <revision>` without a `--`, so it would be read as an option (and
 * `git branch` and `git tag` never create such names).
 */
export function gitRevisionProblem(revision: string): string | undefined {
  const fix = 'use a tag, branch or commit SHA';
  if (typeof revision !== 'string' || !REVISION_CHARACTERS.test(revision) || revision === '@') {
    return `${quoted(revision)} is not a Git revision: ${fix} (letters, digits, '.', '_', '/', '@', '+' and '-')`;
  }
  if (revision.startsWith('-')) return `${quoted(revision)} starts with '-', which git reads as an option: ${fix}`;
  const components = revision.split('/');
  if (revision.includes('..') || revision.endsWith('.') || components.some((c) => c === '' || c.startsWith('.') || c.endsWith('.lock'))) {
    return `${quoted(revision)} is not a Git revision (git check-ref-format: no '..', empty or '.'-leading components, '.lock' or a trailing '.'): ${fix}`;
  }
  return undefined;
}

// Compiled once: repoUrlProblem runs for every source repository and every Application.
const REPO_HOST = '[A-Za-z0-9*?.-]+(:\\d+)?';
const REPO_URL_FORMS = [
  // A user name (Bitbucket clone URLs: https://user@bitbucket.org/team/repo.git), never a password.
  new RegExp(`^https://([\\w.-]+@)?${REPO_HOST}(/[^/]+)*/?$`),
  new RegExp(`^ssh://([\\w.-]+@)?${REPO_HOST}(/[^/]+)+$`),
  new RegExp('^[\\w.-]+@[A-Za-z0-9*.-]+:[^/][^:]*$'),
  new RegExp(`^oci://${REPO_HOST}(/[^/]+)+$`),
];

/**
 * What is wrong with a repository URL (or URL glob), or undefined. Accepts https://, ssh://,
 * scp-like `git@host:path` and oci:// URLs; plain http:// and git:// are refused (no TLS).
 */
export function repoUrlProblem(url: string): string | undefined {
  if (/[\s,"'\\]/.test(url) || /[\u0000-\u001f]/.test(url)) return 'contains spaces, commas, quotes or control characters: percent-encode them (e.g. %20 for a space)';
  if (/^(http|git):\/\//i.test(url)) return 'uses an unencrypted protocol: use https:// or ssh://';
  if (!REPO_URL_FORMS.some((f) => f.test(url))) {
    return "is not a repository URL: use https://host/path (https://user@host/path), ssh://user@host/path, user@host:path or oci://registry/path (globs like 'https://github.com/my-org/*' work)";
  }
  if (compileArgoGlob(url, '/') === undefined) return "is not a valid glob (an unclosed '[' or '{', or a class Argo CD cannot read: use one range like [a-z] or a set like [abc])";
  return undefined;
}

/** What is wrong with a repository list entry (`*`, or a URL glob that `!` may negate), or undefined. */
export function repoPatternProblem(pattern: string): string | undefined {
  return pattern === '*' ? undefined : repoUrlProblem(pattern.startsWith('!') ? pattern.slice(1) : pattern);
}
