// Upstream's own example: docs/operator-manual/argocd-rbac-cm.yaml (v3.5.1).
export const UPSTREAM_RBAC_EXAMPLE = {
  'policy.csv': [
    "# Grant all members of the group 'my-org:team-alpha; the ability to sync apps in 'my-project'",
    'p, my-org:team-alpha, applications, sync, my-project/*, allow',
    "# Grant all members of 'my-org:team-beta' admins",
    'g, my-org:team-beta, role:admin',
  ].join('\n'),
  'policy.overlay.csv': [
    'p, role:tester, applications, *, */*, allow',
    'p, role:tester, projects, *, *, allow',
    'g, my-org:team-qa, role:tester',
  ].join('\n'),
  'policy.default': 'role:readonly',
  'scopes': '[cognito:groups, email]',
  'policy.matchMode': 'glob',
};
