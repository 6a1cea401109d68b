// Shell scripts run by ComplianceCronWorkflow. They are POSIX sh (dash, busybox ash) and call
// only kubectl, jq (1.6 or newer), mktemp, cat and rm; curl (secret-metadata check and the
// report step), openssl and base64 (tls-expiry check).
// They are kept here as strings so the package ships them (jsii compiles only .ts), and the unit
// tests run them against recorded `kubectl -o json` fixtures with a stub kubectl on PATH.
//
// Contract of a check: the body defines `run_check`, which prints findings as JSON objects, one
// per line: {"severity": "ERROR"|"WARNING"|"INFO", "resource": "...", "message": "..."}. The
// wrapper adds the check name, keeps the ERRORs first, bounds the total size to
// $MAX_FINDINGS_BYTES (Argo passes it as an output parameter, not an artifact) and writes the
// JSON array to /tmp/findings.json. A check that fails to run (forbidden, API down, bad JSON)
// reports one ERROR instead of passing silently.

/** The path each check writes its findings to; the output parameter reads it. */
export const FINDINGS_PATH = '/tmp/findings.json';

/**
 * The total budget for all checks' findings, in bytes. The report step receives them twice
 * (input parameters and env), and Argo hands its whole template to the executor in one
 * environment variable (ARGO_TEMPLATE), which Linux limits to 128 KiB: 2 x 40 KB, JSON-escaped,
 * plus the script stays below that.
 */
export const FINDINGS_BUDGET_BYTES = 40000;

const CHECK_PRELUDE = `set -u
set +x
umask 077
export HOME=/tmp
: "\${FINDINGS_FILE:=${FINDINGS_PATH}}"
: "\${MAX_FINDINGS_BYTES:=8000}"
work=$(mktemp -d /tmp/check.XXXXXX) || exit 1

# fetch NAME JQ-FILTER KUBECTL-GET-ARGS...: runs 'kubectl get ... -o json', keeps what the filter
# selects in $work/NAME.json and fails when kubectl or jq fails (no silent empty results).
fetch() {
  fetch_name=$1; fetch_filter=$2; shift 2
  kubectl get "$@" -o json > "$work/$fetch_name.raw" || return 1
  jq -c -s "(.[0] // null) | $fetch_filter" "$work/$fetch_name.raw" > "$work/$fetch_name.json" || return 1
  rm -f "$work/$fetch_name.raw"
}
`;

const CHECK_EPILOGUE = `
check_failed=0
run_check > "$work/findings.jsonl" 2> "$work/errors.log" || check_failed=1
# kubectl's own errors go to the step log; they never contain secret values.
cat "$work/errors.log" >&2
if [ "$check_failed" -ne 0 ]; then
  jq -cn '{severity: "ERROR", resource: "", message: "the check could not run to completion: see the log of this step"}' >> "$work/findings.jsonl"
fi
if ! jq -c -s --arg check "$CHECK_NAME" --argjson max "$MAX_FINDINGS_BYTES" '
  def rank: {"ERROR": 0, "WARNING": 1, "INFO": 2}[.severity] // 3;
  # Argo substitutes double-brace variables in the parameters it passes on: break up any in
  # cluster data. Every brace followed by another gets a space, so a run of three cannot leave two.
  def inert: tostring | gsub("\\\\{(?=\\\\{)"; "{ ");
  # An unknown or missing severity counts as an ERROR: a typo must not hide a finding.
  map({check: $check, severity: (if (.severity | IN("ERROR", "WARNING", "INFO")) then .severity else "ERROR" end), resource: (.resource // "" | inert),
       message: (.message // "" | inert | .[0:500])})
  | sort_by(rank) as $all
  | if ($all | tojson | utf8bytelength) <= $max then $all
    else (reduce $all[] as $f ({kept: [], size: 2};
            ($f | tojson | utf8bytelength) as $n
            | if .size + $n + 1 <= $max - 300 then .kept += [$f] | .size += $n + 1 else . end)) as $r
      | $r.kept + [{check: $check, severity: "WARNING", resource: "",
          message: "\\(($all | length) - ($r.kept | length)) more findings were left out to stay within \\($max) bytes: run the check by hand for the full list"}]
    end' "$work/findings.jsonl" > "$FINDINGS_FILE"; then
  jq -cn --arg check "$CHECK_NAME" '[{check: $check, severity: "ERROR", resource: "", message: "the check printed malformed findings: see the log of this step"}]' > "$FINDINGS_FILE"
fi
rm -rf "$work"
jq -r '.[] | "\\(.severity) \\(.resource): \\(.message)"' "$FINDINGS_FILE"
`;

/**
 * The complete script of a check: the shared prelude (`fetch`), the check's body (which
 * defines `run_check`) and the wrapper that writes the bounded findings.
 */
export function checkScript(body: string): string {
  return `${CHECK_PRELUDE}\n${body.trim()}\n${CHECK_EPILOGUE}`;
}

/** RBAC: cluster-admin bindings, service accounts with bindings, wildcard rules. */
export const RBAC_CHECK = `
run_check() {
  fetch crbs '.items' clusterrolebindings || return 1
  fetch rbs '.items' rolebindings --all-namespaces || return 1
  fetch croles '.items' clusterroles || return 1
  fetch roles '.items' roles --all-namespaces || return 1
  jq -c --argjson allowed "$ALLOWED_CLUSTER_ADMIN_BINDINGS" '
    def who: [.subjects[]? | "\\(.kind) \\(if .namespace then "\\(.namespace)/" else "" end)\\(.name)"] | join(", ");
    .[] | select(.roleRef.kind == "ClusterRole" and .roleRef.name == "cluster-admin")
    | select(.metadata.name | IN($allowed[]) | not)
    | {severity: "ERROR", resource: "clusterrolebinding/\\(.metadata.name)",
       message: "grants cluster-admin to \\(who)"}' "$work/crbs.json" || return 1
  jq -c '
    def who: [.subjects[]? | "\\(.kind) \\(if .namespace then "\\(.namespace)/" else "" end)\\(.name)"] | join(", ");
    .[] | select(.roleRef.kind == "ClusterRole" and .roleRef.name == "cluster-admin")
    | {severity: "WARNING", resource: "rolebinding/\\(.metadata.namespace)/\\(.metadata.name)",
       message: "grants cluster-admin within namespace \\(.metadata.namespace) to \\(who)"}' "$work/rbs.json" || return 1
  jq -c -n --slurpfile crbs "$work/crbs.json" --slurpfile rbs "$work/rbs.json" '
    ($crbs[0][] | {scope: "cluster-wide", binding: "clusterrolebinding/\\(.metadata.name)", b: .}),
    ($rbs[0][] | {scope: "in namespace \\(.metadata.namespace)", binding: "rolebinding/\\(.metadata.namespace)/\\(.metadata.name)", b: .})
    | select((.b.metadata.name | startswith("system:") | not) and (.b.roleRef.name | startswith("system:") | not))
    | . as $x | $x.b.subjects[]? | select(.kind == "ServiceAccount")
    | {severity: "INFO", resource: "serviceaccount/\\(.namespace // $x.b.metadata.namespace)/\\(.name)",
       message: "bound to \\($x.b.roleRef.kind) \\($x.b.roleRef.name) \\($x.scope) by \\($x.binding)"}' || return 1
  jq -c -n --slurpfile croles "$work/croles.json" --slurpfile roles "$work/roles.json" '
    ($croles[0][] | {resource: "clusterrole/\\(.metadata.name)", r: .}),
    ($roles[0][] | {resource: "role/\\(.metadata.namespace)/\\(.metadata.name)", r: .})
    | select((.r.metadata.name | startswith("system:") | not) and .r.metadata.name != "cluster-admin")
    | . as $x
    | [$x.r.rules[]? | (if (.apiGroups // []) | index(["*"]) then "apiGroups" else empty end),
                      (if (.resources // []) | index(["*"]) then "resources" else empty end),
                      (if (.verbs // []) | index(["*"]) then "verbs" else empty end)] | unique
    | select(length > 0)
    | {severity: "WARNING", resource: $x.resource, message: "has rules with \\"*\\" in \\(join(", ")): list what it needs"}' || return 1
}
`;

/** Network: namespaces with pods but no NetworkPolicy, namespaces without default deny. */
export const NETWORK_CHECK = `
run_check() {
  fetch namespaces '[.items[].metadata.name]' namespaces || return 1
  # Which namespaces have pods: one pod per namespace, not a list of every pod in the cluster
  # (that list would not fit in the step's memory on a large cluster).
  for ns in $(jq -r '.[]' "$work/namespaces.json"); do
    kubectl get --raw "/api/v1/namespaces/$ns/pods?limit=1" > "$work/pods.raw" || return 1
    jq -c --arg ns "$ns" 'if (.items | length) > 0 then $ns else empty end' "$work/pods.raw" || return 1
  done > "$work/podns.jsonl"
  jq -c -s '.' "$work/podns.jsonl" > "$work/podns.json" || return 1
  fetch netpols '.items' networkpolicies --all-namespaces || return 1
  jq -c -n --slurpfile ns "$work/namespaces.json" --slurpfile podns "$work/podns.json" \\
      --slurpfile netpols "$work/netpols.json" --argjson excluded "$EXCLUDED_NAMESPACES" '
    def selects_all: (.spec.podSelector.matchLabels // {} | length) == 0 and (.spec.podSelector.matchExpressions // [] | length) == 0;
    def types: .spec.policyTypes // (["Ingress"] + (if .spec.egress then ["Egress"] else [] end));
    def denies($t; $rules): selects_all and (types | index([$t])) and ((.spec[$rules] // []) | length) == 0;
    $ns[0][] | select(IN($excluded[]) | not) | . as $n
    | [$netpols[0][] | select(.metadata.namespace == $n)] as $p
    | if ($p | length) == 0 and ($podns[0] | index([$n])) then
        {severity: "ERROR", resource: "namespace/\\($n)", message: "has pods but no NetworkPolicy: all traffic to and from its pods is allowed"}
      else
        [(if any($p[]; denies("Ingress"; "ingress")) then empty else "ingress" end),
         (if any($p[]; denies("Egress"; "egress")) then empty else "egress" end)]
        | select(length > 0)
        | {severity: "WARNING", resource: "namespace/\\($n)", message: "has no default-deny NetworkPolicy for \\(join(" and "))"}
      end' || return 1
}
`;

/** Argo CD: local admin, anonymous access, disabled auth, AppProjects that allow everything. */
export const ARGOCD_CHECK = `
run_check() {
  fetch cm '.' configmap argocd-cm -n "$ARGOCD_NAMESPACE" --ignore-not-found || return 1
  if [ "$(cat "$work/cm.json")" = null ]; then
    jq -cn --arg ns "$ARGOCD_NAMESPACE" '{severity: "INFO", resource: "configmap/\\($ns)/argocd-cm", message: "not found: is Argo CD installed in namespace \\($ns)?"}'
    return 0
  fi
  fetch params '.' configmap argocd-cmd-params-cm -n "$ARGOCD_NAMESPACE" --ignore-not-found || return 1
  fetch projects '.items // []' appprojects.argoproj.io -n "$ARGOCD_NAMESPACE" || return 1
  jq -c -n --slurpfile cm "$work/cm.json" --slurpfile params "$work/params.json" --arg ns "$ARGOCD_NAMESPACE" '
    ($cm[0]) as $c | ($params[0]) as $p
    | (if ($c.data["admin.enabled"] // "true") != "false" then
        {severity: "WARNING", resource: "configmap/\\($ns)/argocd-cm", message: "the local admin user is enabled: set admin.enabled to \\"false\\" once SSO works"}
       else empty end),
      (if ($c.data["users.anonymous.enabled"] // "false") == "true" then
        {severity: "ERROR", resource: "configmap/\\($ns)/argocd-cm", message: "anonymous access is enabled (users.anonymous.enabled)"}
       else empty end),
      (if $p != null and ($p.data["server.disable.auth"] // "false") == "true" then
        {severity: "ERROR", resource: "configmap/\\($ns)/argocd-cmd-params-cm", message: "authentication is disabled (server.disable.auth)"}
       else empty end)' || return 1
  jq -c '
    .[] | . as $p
    | [(if any(.spec.sourceRepos[]?; . == "*") then "any source repository" else empty end),
       (if any(.spec.destinations[]?; .namespace == "*") then "any destination namespace" else empty end),
       (if any(.spec.destinations[]?; .server == "*" or .name == "*") then "any destination cluster" else empty end),
       (if any(.spec.clusterResourceWhitelist[]?; .group == "*" and .kind == "*") then "every cluster-scoped kind" else empty end)]
    | select(length > 0)
    | {severity: "WARNING", resource: "appproject/\\($p.metadata.namespace)/\\($p.metadata.name)", message: "allows \\(join(", ")): list what the project needs"}' "$work/projects.json" || return 1
}
`;

/** Argo Workflows: the argo-server authentication mode and TLS. */
export const ARGO_SERVER_CHECK = `
run_check() {
  fetch deploy '.' deployment "$ARGO_SERVER_DEPLOYMENT" -n "$ARGO_NAMESPACE" --ignore-not-found || return 1
  jq -c --arg ns "$ARGO_NAMESPACE" --arg name "$ARGO_SERVER_DEPLOYMENT" '
    "deployment/\\($ns)/\\($name)" as $r
    | if . == null then
        {severity: "INFO", resource: $r, message: "not found: is argo-server installed in namespace \\($ns)?"}
      else
        [.spec.template.spec.containers[] | (.command // []) + (.args // [])
          | . as $a | range(0; length) as $i | $a[$i]
          | if startswith("--auth-mode=") then ltrimstr("--auth-mode=")
            elif . == "--auth-mode" then ($a[$i + 1] // "")
            else empty end
          | split(",")[]] as $modes
        | [.spec.template.spec.containers[] | (.command // []) + (.args // []) | .[] | select(. == "--secure=false")] as $insecure
        | (if $modes | index(["server"]) then
            {severity: "ERROR", resource: $r, message: "runs with --auth-mode=server: every request acts as the server service account, with no user authentication"}
           else empty end),
          (if ($insecure | length) > 0 then
            {severity: "WARNING", resource: $r, message: "runs with --secure=false: the UI and API are served over plain HTTP"}
           else empty end)
      end' "$work/deploy.json" || return 1
}
`;

/**
 * Secrets by metadata only (opt-in). Kubernetes RBAC cannot grant metadata-only access: this
 * check holds 'list' on secrets in the namespaces it is given. It asks the API server for a
 * server-side Table with metadata only, so no value reaches the pod.
 */
export const SECRET_METADATA_CHECK = `
run_check() {
  : "\${SERVICE_ACCOUNT_DIR:=/var/run/secrets/kubernetes.io/serviceaccount}"
  command -v curl > /dev/null || { echo "curl is not in the check image" >&2; return 1; }
  token=$(cat "$SERVICE_ACCOUNT_DIR/token") || return 1
  for ns in $NAMESPACES; do
    # The token goes to curl as a config on stdin: never in argv, never on disk.
    printf 'header = "Authorization: Bearer %s"\\n' "$token" \\
      | curl -sS --fail --proto =https --connect-timeout 10 --max-time 60 --cacert "$SERVICE_ACCOUNT_DIR/ca.crt" -K - \\
        -H 'Accept: application/json;as=Table;g=meta.k8s.io;v=v1' \\
        "https://kubernetes.default.svc/api/v1/namespaces/$ns/secrets?includeObject=Metadata" > "$work/table.json" || return 1
    jq -c --arg ns "$ns" --argjson maxDays "$MAX_AGE_DAYS" '
      if .kind != "Table" then error("expected a Table from the API server") else . end
      | ([.columnDefinitions[].name] | index("Type")) as $type
      | .rows[] | (.cells[$type]) as $t | .object.metadata as $m
      | "secret/\\($ns)/\\($m.name)" as $r
      | ([$m.creationTimestamp, ($m.managedFields[]?.time // empty)] | map(fromdateiso8601) | max) as $changed
      | (((now - $changed) / 86400) | floor) as $days
      | if $t == "kubernetes.io/service-account-token" then
          {severity: "INFO", resource: $r, message: "is a long-lived service account token: prefer projected tokens unless a tool needs one"}
        elif ($t == "helm.sh/release.v1" or $t == "kubernetes.io/tls") then empty
        elif $days > $maxDays then
          {severity: "WARNING", resource: $r, message: "(\\($t)) has not changed for \\($days) days (limit \\($maxDays)): rotate it"}
        else empty end' "$work/table.json" || return 1
  done
  token=
}
`;

/**
 * TLS certificate expiry (opt-in): reads kubernetes.io/tls Secrets in the namespaces it is
 * given, which needs secret read. Only tls.crt is decoded; nothing is written to disk.
 */
export const TLS_EXPIRY_CHECK = `
run_check() {
  # Without these every certificate would read as unreadable: fail the check instead.
  for tool in openssl base64; do
    command -v "$tool" > /dev/null || { echo "$tool is not in the check image" >&2; return 1; }
  done
  for ns in $NAMESPACES; do
    # Kept in shell variables, never on disk: the list holds private keys too.
    list=$(kubectl get secrets -n "$ns" --field-selector type=kubernetes.io/tls -o json) || return 1
    certs=$(printf '%s' "$list" | jq -r '.items[] | "\\(.metadata.name) \\(.data["tls.crt"] // "")"') || return 1
    list=
    printf '%s\\n' "$certs" | while read -r name crt; do
      [ -n "$name" ] || continue
      r="secret/$ns/$name"
      if [ -z "$crt" ]; then
        jq -cn --arg r "$r" '{severity: "WARNING", resource: $r, message: "has no tls.crt"}'
      elif ! printf '%s' "$crt" | base64 -d 2>/dev/null | openssl x509 -noout -checkend 0 > /dev/null 2>&1; then
        jq -cn --arg r "$r" '{severity: "ERROR", resource: $r, message: "holds an expired or unreadable certificate"}'
      elif ! printf '%s' "$crt" | base64 -d | openssl x509 -noout -checkend $((WARN_DAYS * 86400)) > /dev/null 2>&1; then
        not_after=$(printf '%s' "$crt" | base64 -d | openssl x509 -noout -enddate)
        not_after=\${not_after#notAfter=}
        jq -cn --arg r "$r" --arg notAfter "$not_after" --arg days "$WARN_DAYS" '{severity: "WARNING", resource: $r, message: "certificate expires within \\($days) days (\\($notAfter))"}'
      fi
    done
  done
}
`;

/**
 * The report step, run as the workflow's exit handler: merges the FINDINGS_<CHECK> variable of
 * each check named in $CHECKS (the check's exported output; Argo leaves the variable reference
 * in place when the check never finished), adds an ERROR for each check without findings with
 * the reasons from $FAILED_STEPS (Argo's `workflow.failures`: a quoted JSON string, "null" when
 * nothing failed), posts the report to the webhook (URL and token from Secrets, kept out of argv
 * and logs), then exits 1 if any finding is an ERROR.
 */
export const REPORT_SCRIPT = `set -u
set +x
umask 077
work=$(mktemp -d /tmp/report.XXXXXX) || exit 2
trap 'rm -rf "$work"' EXIT
jq -n --arg workflow "$WORKFLOW_NAME" --arg cluster "$CLUSTER_NAME" --arg status "\${WORKFLOW_STATUS:-}" '
  ($ENV.FAILED_STEPS // "null" | try (fromjson | if type == "string" then fromjson else . end) catch null
   | if type == "array" then . else [] end) as $failures
  | def why($check): [$failures[] | select(.templateName == "check-\\($check)") | "\\(.phase // "Failed"): \\(.message // "no message")"]
      | unique | if length > 0 then join("; ") else "no reason recorded" end;
  [$ENV.CHECKS | splits(" +") | select(. != "")]
  | map(. as $check | $ENV["FINDINGS_" + ($check | ascii_upcase | gsub("-"; "_"))] // ""
        # (the brace pair is split: Argo would read two braces in a row in this script as a variable)
        | if startswith("{" + "{") or . == "" then
            [{check: $check, severity: "ERROR", resource: "", message: "the check did not finish (\\(why($check) | .[0:400])): see the workflow"}]
          else
            try (fromjson | if type == "array" then . else error("not an array") end)
            catch [{check: $check, severity: "ERROR", resource: "", message: "the check produced malformed findings"}]
          end)
  | add // []
  | {errors: map(select(.severity == "ERROR")) | length,
     warnings: map(select(.severity == "WARNING")) | length,
     info: map(select(.severity == "INFO")) | length} as $s
  | {text: "Compliance report \\($workflow)\\(if $cluster != "" then " on \\($cluster)" else "" end): \\($s.errors) errors, \\($s.warnings) warnings, \\($s.info) info",
     workflow: $workflow, cluster: $cluster, status: $status, generatedAt: (now | todate), summary: $s, findings: .}' > "$work/report.json" || exit 2
jq -r '.text, (.findings[] | "\\(.severity) [\\(.check)] \\(.resource): \\(.message)")' "$work/report.json"

# Command substitution drops a trailing newline, which Secrets created with 'echo' often carry.
url=$(printf '%s' "$WEBHOOK_URL")
token=$(printf '%s' "\${WEBHOOK_TOKEN:-}")
sent=1
case "$url" in
  https://*) ;;
  *) echo "the webhook URL (from its Secret) must start with https://" >&2; sent=0 ;;
esac
case "$url$token" in
  *'"'* | *'\\'* | *'
'*) echo "the webhook URL or token (from their Secrets) contains a quote, backslash or newline" >&2; sent=0 ;;
esac
if [ "$sent" -eq 1 ]; then
  # URL and token go to curl in a config file, so they never appear in argv or the log.
  {
    printf 'url = "%s"\\n' "$url"
    if [ -n "$token" ]; then printf 'header = "Authorization: Bearer %s"\\n' "$token"; fi
  } > "$work/curl.cfg"
  status=$(curl -sS --proto =https --connect-timeout 10 --max-time 30 -o /dev/null -w '%{http_code}' -K "$work/curl.cfg" \\
    -H 'Content-Type: application/json' --data-binary @"$work/report.json") || status=000
  rm -f "$work/curl.cfg"
  case "$status" in
    2??) echo "report sent (HTTP $status)" ;;
    *) echo "sending the report failed (HTTP $status)" >&2; sent=0 ;;
  esac
fi
errors=$(jq '.summary.errors' "$work/report.json")
if [ "$sent" -ne 1 ]; then exit 2; fi
if [ "$errors" -gt 0 ]; then
  echo "$errors ERROR findings: failing the workflow" >&2
  exit 1
fi
`;
