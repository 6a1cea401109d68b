// The shell scripts of the certificate-watch container (certificate-watch.ts), kept as strings
// so the package ships them (jsii compiles only .ts). POSIX sh as the Argo CD image has it (dash,
// GNU coreutils and diffutils: cat, tr, cmp, mv, rm, sleep; kill is a shell builtin; there is no
// pkill and no API client). Every argument is a constant of the library: no user text.
// test/argocd/certificate-watch-script.test.ts runs them against temporary files and dummy processes.
//
//   sh -c "$CERTIFICATE_WATCH_SCRIPT" certificate-watch MODE CERTIFICATE STATE_DIR COMMAND_LINE [INTERVAL]
//
// MODE snapshot: records the certificate as it reads now in STATE_DIR/loaded (empty when it is
// absent), unless a record exists (this container restarted while the process kept running).
// MODE check: one look. When CERTIFICATE reads non-empty, differs from the record, and reads the
// same as at the previous look, the record becomes the new content, then the processes whose
// command line (argv joined by spaces) is COMMAND_LINE get SIGTERM, with their children (Dex
// under argocd-dex rundex): the kubelet restarts the container, whose process loads the new
// certificate. An absent or empty file changes nothing (a deleted Secret keeps what runs).
// MODE watch: snapshot, then a check every INTERVAL seconds.

/** Restarts a process when the certificate it loaded at startup changes. */
export const CERTIFICATE_WATCH_SCRIPT = `set -u
mode=$1 certificate=$2 state=$3 target=$4

log() { echo "certificate-watch: $*"; }

# The certificate as it reads now, in $state/read; false when it is absent or empty.
read_certificate() {
  cat "$certificate" > "$state/read" 2> /dev/null && [ -s "$state/read" ]
}

snapshot() {
  [ -e "$state/loaded" ] && return 0
  read_certificate || : > "$state/read"
  mv "$state/read" "$state/loaded"
}

# The processes running the target command line, then their children.
targets() {
  parents=
  for dir in /proc/[0-9]*; do
    [ "$(tr '\\0' ' ' 2> /dev/null < "$dir/cmdline")" = "$target " ] && parents="$parents \${dir#/proc/}"
  done
  [ -n "$parents" ] || return 0
  children=
  for dir in /proc/[0-9]*; do
    { read -r stat < "$dir/stat"; } 2> /dev/null || continue
    # Fields after the command name, which may hold spaces and parentheses: state, parent, ...
    set -- \${stat##*) }
    case "$parents " in *" $2 "*) children="$children \${dir#/proc/}" ;; esac
  done
  echo $parents $children
}

check() {
  if ! read_certificate || cmp -s "$state/read" "$state/loaded"; then
    rm -f "$state/read" "$state/seen"
    return 0
  fi
  # Changed: act on content read the same twice, never on a file caught mid-write.
  if ! cmp -s "$state/read" "$state/seen"; then
    mv "$state/read" "$state/seen"
    return 0
  fi
  # The record is renewed before the process stops, so it never postdates what the next one loads.
  mv "$state/read" "$state/loaded"
  rm -f "$state/seen"
  pids=$(targets)
  if [ -z "$pids" ]; then
    log "$certificate changed; '$target' is not running and loads it when it starts"
    return 0
  fi
  log "$certificate changed: stopping '$target' (pids $pids); the kubelet restarts it with the new certificate"
  kill -TERM $pids || log "could not signal every process of '$target'"
}

case "$mode" in
  snapshot) snapshot ;;
  check) check ;;
  watch)
    snapshot
    while :; do
      sleep "$5"
      check
    done
    ;;
  *) log "unknown mode '$mode'"; exit 2 ;;
esac
`;

/**
 * The container's postStart hook: returns once the record exists (`sh -c` with the record's
 * path as `$1`). The kubelet starts the next container of the pod only after this hook, so the
 * record is never newer than what the process there loads.
 */
export const CERTIFICATE_RECORDED_SCRIPT = 'until [ -e "$1" ]; do sleep 1; done';
