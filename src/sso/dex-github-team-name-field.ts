/**
 * Which team identifier Dex's GitHub connector puts after `<org>:` in a user's groups
 * (`teamNameField`). The same identifier is what `DexGithubOrg.teams` is compared with.
 */
export enum DexGithubTeamNameField {
  /** The team's display name, e.g. `my-org:Platform Team` (Dex's default). */
  NAME = 'name',
  /** The team's slug, e.g. `my-org:platform-team`: lower case, no spaces. */
  SLUG = 'slug',
  /** Both: two groups per team, `my-org:Platform Team` and `my-org:platform-team`. */
  BOTH = 'both',
}
