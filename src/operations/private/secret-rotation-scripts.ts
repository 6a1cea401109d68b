// The shell script run by SecretRotationCronWorkflow, kept as a string so the package ships it
// (jsii compiles only .ts). POSIX sh; calls kubectl, jq (1.6+), curl, tr, head, date and sleep.
// The unit tests run it with stub kubectl and curl on PATH.
//
// The new value is generated in the pod from /dev/urandom and only ever travels through shell
// variables, jq's environment and pipes: it is never an argument of any command, never written
// to disk and never printed.

/** Rotates one secret, as described by its environment (see SecretRotation). */
export const ROTATE_SCRIPT = `set -eu
set +x
umask 077
export HOME=/tmp
: "\${ESO_SYNC_TIMEOUT_SECONDS:=120}"
: "\${ROLLOUT_TIMEOUT_SECONDS:=300}"
work=$(mktemp -d /tmp/rotate.XXXXXX)
trap 'rm -rf "$work"' EXIT
fail() { echo "rotation $ROTATION_NAME failed: $*" >&2; exit 1; }

new_value=$(LC_ALL=C tr -dc 'A-Za-z0-9' < /dev/urandom | head -c "$VALUE_LENGTH")
[ "\${#new_value}" -eq "$VALUE_LENGTH" ] || fail "could not generate a value"

if [ "$ROTATION_KIND" = vault ]; then
  # Read the ExternalSecret first: if it is missing or out of reach, Vault stays untouched.
  external_secret=$(kubectl get externalsecret "$EXTERNAL_SECRET" -n "$TARGET_NAMESPACE" -o json) \\
    || fail "could not read ExternalSecret $TARGET_NAMESPACE/$EXTERNAL_SECRET"
  synced_before=$(printf '%s' "$external_secret" | jq -r '.status.syncedResourceVersion // ""') \\
    || fail "could not read ExternalSecret $TARGET_NAMESPACE/$EXTERNAL_SECRET"
  set --
  if [ -n "\${VAULT_CACERT_PEM:-}" ]; then
    printf '%s\\n' "$VAULT_CACERT_PEM" > "$work/vault-ca.pem"
    set -- --cacert "$work/vault-ca.pem"
  fi
  # Kubernetes auth with the projected token for the audience 'vault' (kubectl keeps the
  # API-audience token at its in-cluster path: it never leaves the pod).
  login=$(jq -n --arg role "$VAULT_ROLE" --rawfile jwt "$VAULT_TOKEN_FILE" '{role: $role, jwt: ($jwt | rtrimstr("\\n"))}' \\
    | curl -sS --fail --proto =https --connect-timeout 10 --max-time 30 "$@" -H 'Content-Type: application/json' --data-binary @- "$VAULT_ADDR/v1/auth/$VAULT_AUTH_PATH/login") \\
    || fail "Vault login (auth/$VAULT_AUTH_PATH, role $VAULT_ROLE) was refused"
  vault_token=$(printf '%s' "$login" | jq -r '.auth.client_token // empty') || vault_token=
  login=
  [ -n "$vault_token" ] || fail "Vault login returned no token"
  printf 'X-Vault-Token: %s\\n' "$vault_token" > "$work/vault-header"
  vault_token=
  # PATCH changes only this property and keeps the others (KV v2; the policy needs 'patch').
  NEW_VALUE=$new_value jq -n --arg property "$VAULT_PROPERTY" '{data: {($property): env.NEW_VALUE}}' \\
    | curl -sS --fail --proto =https --connect-timeout 10 --max-time 30 "$@" -X PATCH -H @"$work/vault-header" -H 'Content-Type: application/merge-patch+json' \\
        --data-binary @- -o /dev/null "$VAULT_ADDR/v1/$VAULT_KV_MOUNT/data/$VAULT_PATH" \\
    || fail "writing $VAULT_KV_MOUNT/data/$VAULT_PATH to Vault was refused (PATCH needs an existing secret at that path and the 'patch' capability in the Vault policy)"
  new_value=
  curl -sS --proto =https --connect-timeout 10 --max-time 30 "$@" -X POST -H @"$work/vault-header" -o /dev/null "$VAULT_ADDR/v1/auth/token/revoke-self" || true
  rm -f "$work/vault-header"
  echo "wrote a new $VAULT_PROPERTY to $VAULT_KV_MOUNT/data/$VAULT_PATH"

  # Ask External Secrets Operator to refresh now, then wait until it has. ESO records in
  # status.syncedResourceVersion the generation and a hash of the annotations it synced (periodic
  # syncs leave it unchanged), so a new value there, with Ready, means a sync that saw our
  # force-sync annotation, set after the Vault write. refreshTime alone has one-second
  # resolution and would also match a periodic sync that read Vault just before the write.
  since=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  kubectl annotate externalsecret "$EXTERNAL_SECRET" -n "$TARGET_NAMESPACE" "force-sync=$(date +%s)" --overwrite > /dev/null \\
    || fail "could not annotate ExternalSecret $TARGET_NAMESPACE/$EXTERNAL_SECRET"
  waited=0
  until kubectl get externalsecret "$EXTERNAL_SECRET" -n "$TARGET_NAMESPACE" -o json \\
      | jq -e --arg since "$since" --arg before "$synced_before" '
          (.status.syncedResourceVersion // "") != $before and (.status.refreshTime // "") >= $since
          and any(.status.conditions[]?; .type == "Ready" and .status == "True")' > /dev/null; do
    [ "$waited" -lt "$ESO_SYNC_TIMEOUT_SECONDS" ] \\
      || fail "ExternalSecret $TARGET_NAMESPACE/$EXTERNAL_SECRET did not refresh within $ESO_SYNC_TIMEOUT_SECONDS seconds (is its refreshPolicy CreatedOnce, or its store failing? see its status)"
    sleep 5
    waited=$((waited + 5))
  done
  echo "ExternalSecret $TARGET_NAMESPACE/$EXTERNAL_SECRET refreshed"
else
  # Only Secrets nothing else owns: GitOps or an operator would put the old value back.
  owner=$(kubectl get secret "$SECRET_NAME" -n "$TARGET_NAMESPACE" -o json | jq -r '
    if .metadata.annotations["argocd.argoproj.io/tracking-id"] then "Argo CD (tracking-id annotation)"
    elif any(.metadata.ownerReferences[]?; .kind == "SealedSecret") then "a SealedSecret"
    elif any(.metadata.ownerReferences[]?; .kind == "ExternalSecret") then "an ExternalSecret"
    elif .metadata.labels["app.kubernetes.io/managed-by"] == "Helm" then "Helm"
    elif any(.metadata.managedFields[]?; .manager == "argocd-controller") then "Argo CD (server-side apply)"
    elif any(.metadata.managedFields[]?; .manager == "kustomize-controller" or .manager == "helm-controller") then "Flux"
    else "none" end') || fail "could not read Secret $TARGET_NAMESPACE/$SECRET_NAME"
  [ -n "$owner" ] || fail "could not read Secret $TARGET_NAMESPACE/$SECRET_NAME"
  [ "$owner" = none ] || fail "Secret $TARGET_NAMESPACE/$SECRET_NAME is managed by $owner, which would restore the old value: rotate it at its source"
  NEW_VALUE=$new_value jq -n --arg key "$SECRET_KEY" '{data: {($key): (env.NEW_VALUE | @base64)}}' \\
    | kubectl patch secret "$SECRET_NAME" -n "$TARGET_NAMESPACE" --type merge --patch-file /dev/stdin > /dev/null \\
    || fail "could not patch Secret $TARGET_NAMESPACE/$SECRET_NAME"
  new_value=
  echo "wrote a new $SECRET_KEY to Secret $TARGET_NAMESPACE/$SECRET_NAME"
fi

for deployment in $RESTART_DEPLOYMENTS; do
  kubectl rollout restart "deployment/$deployment" -n "$TARGET_NAMESPACE" > /dev/null \\
    || fail "could not restart deployment $TARGET_NAMESPACE/$deployment"
  echo "restarted deployment $TARGET_NAMESPACE/$deployment"
done
# Wait for the new pods: a workload that does not come up with the new value fails the run.
for deployment in $RESTART_DEPLOYMENTS; do
  kubectl rollout status "deployment/$deployment" -n "$TARGET_NAMESPACE" --timeout="\${ROLLOUT_TIMEOUT_SECONDS}s" > /dev/null \\
    || fail "deployment $TARGET_NAMESPACE/$deployment did not become ready with the new value within $ROLLOUT_TIMEOUT_SECONDS seconds"
  echo "deployment $TARGET_NAMESPACE/$deployment is ready"
done
`;
