// How Dex's GitHub connector (configured with `orgs`, as DexConnector.github writes it) names a
// user's groups: one group per team in a listed organization, `<org>:<team>`, with the team's
// display name or slug (`teamNameField`), and only the listed teams when the organization lists
// some (connector/github, Dex v2.45). Organizations and bare team names are never groups.
import { quoted } from '../../private/validate';
import { DexGithubTeamNameField } from '../dex-github-team-name-field';

/** What one GitHub connector lets log in, and how it names teams. */
export interface GithubGroups {
  readonly orgs: ReadonlyArray<{ readonly name: string; readonly teams: readonly string[] }>;
  readonly teamNameField: DexGithubTeamNameField;
}

/** GitHub derives a team's slug from its name in lower case, without spaces. */
export function isTeamSlug(team: string): boolean {
  return !/[A-Z\s]/.test(team);
}

/**
 * Why a group mapping can never match a user of these GitHub connectors, with the fix, or
 * undefined. A numeric value (a GitHub user id) or an e-mail may be a user, so it is not judged.
 */
export function githubGroupProblem(group: string, connectors: readonly GithubGroups[]): string | undefined {
  if (/^[0-9]+$/.test(group) || group.includes('@')) return undefined;
  const orgs = connectors.flatMap((c) => c.orgs);
  const fields = new Set(connectors.map((c) => c.teamNameField));
  const slugsOnly = fields.size === 1 && fields.has(DexGithubTeamNameField.SLUG);
  const namesOnly = fields.size === 1 && fields.has(DexGithubTeamNameField.NAME);
  const sep = group.indexOf(':');
  if (sep < 0) {
    const org = orgs.find((o) => o.name === group);
    const team = slugsOnly ? 'slug' : namesOnly ? 'name (teamNameField NAME, Dex\'s default; SLUG sends slugs)' : 'name or slug';
    const example = org ? `${group}:<team>` : `${(orgs.find((o) => o.teams.includes(group)) ?? orgs[0])?.name ?? '<org>'}:${group}`;
    return `Dex's GitHub connector sends only teams, as '<org>:<team ${team}>', never a bare ${org ? 'organization' : 'team'} name. Write it as ${quoted(example)}`;
  }
  const orgName = group.slice(0, sep);
  const team = group.slice(sep + 1);
  const matching = orgs.filter((o) => o.name === orgName);
  if (matching.length === 0) {
    return `Dex sends only teams of the listed organizations (${orgs.map((o) => quoted(o.name)).join(', ')}), and ${quoted(orgName)} is none of them: list it in the connector's orgs or map a team of a listed one`;
  }
  if (matching.every((o) => o.teams.length > 0 && !o.teams.includes(team))) {
    const listed = [...new Set(matching.flatMap((o) => o.teams))].map((t) => quoted(t)).join(', ');
    return `organization ${quoted(orgName)} lets only the teams ${listed} log in, and Dex sends no other team: add ${quoted(team)} to its teams, or map one of those`;
  }
  if (slugsOnly && !isTeamSlug(team)) {
    return `${quoted(team)} is a team's display name, but with teamNameField SLUG Dex sends slugs (lower case, no spaces): write the slug from the team's URL, e.g. ${quoted(`${orgName}:${team.toLowerCase().replace(/\s+/g, '-')}`)}`;
  }
  return undefined;
}
