// A container that restarts a pod's process when the certificate it loaded at startup is renewed.
//
// Why: with server.dex.server.strict.tls, argocd-server pins the exact leaf in Dex's tls.crt as
// it read it at startup (util/dex TLSConfig compares bytes), and Dex serves the certificate that
// argocd-dex rundex copied for it at startup. Neither reloads, so a renewal by cert-manager
// breaks login until both restart. Neither has a reload signal either: SIGTERM, then the
// kubelet's container restart, is the only way to make them read the file again.
//
// How: the watcher shares the pod's process namespace, runs as the same user as the process and
// reads the certificate from the same Secret volume (not a subPath and not a second volume: the
// kubelet updates each volume on its own, so only the process's own volume tells what it will
// load). It needs no API access: its container does not even mount the service account token.
import { CERTIFICATE_RECORDED_SCRIPT, CERTIFICATE_WATCH_SCRIPT } from './certificate-watch-script';

/** The watcher's container name. */
export const CERTIFICATE_WATCH_CONTAINER = 'certificate-watch';

/** Where the watcher keeps its record of the certificate the process loaded. */
const STATE_DIR = '/certificate-watch';
const STATE_VOLUME = 'certificate-watch';
const NO_TOKEN_VOLUME = 'certificate-watch-no-api-token';
/** Mounts here keep the service account admission from adding the token to the container. */
const TOKEN_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';
/** Seconds between two looks; the kubelet itself takes up to a minute or so to update a Secret volume. */
const INTERVAL_SECONDS = 10;

/** Which process of a pod loads which certificate. */
export interface WatchedCertificate {
  /** The container whose process loads the certificate at startup. */
  readonly container: string;
  /** The Secret volume the certificate is in (mounted without subPath, so the kubelet updates it). */
  readonly volume: string;
  /** The certificate's file name in that volume. */
  readonly file: string;
  /** The image the watcher runs (upstream's reference, like the pod's other images). */
  readonly image: string;
}

/**
 * The pod spec with a certificate-watch container first (the kubelet starts containers in order
 * and waits for each postStart hook, so the record is taken before the process starts), a
 * shared process namespace, and the watcher's volumes.
 */
export function withCertificateWatch(spec: Record<string, any>, watched: WatchedCertificate): Record<string, any> {
  const main = spec.containers.find((c: any) => c.name === watched.container);
  const mount = main?.volumeMounts?.find((m: any) => m.name === watched.volume && m.subPath === undefined);
  if (!mount) throw new Error(`container '${watched.container}' does not mount volume '${watched.volume}' as a whole`);
  // The process's argv: the command, or the args that the image's entrypoint (tini) runs as its child.
  const commandLine = [...(main.command ?? []), ...(main.args ?? [])].join(' ');
  const certificate = `${mount.mountPath}/${watched.file}`;
  // Signals reach only processes of the same user: the process's user, as the pod or the container sets it.
  const user = main.securityContext?.runAsUser ?? spec.securityContext?.runAsUser;
  const watcher = {
    name: CERTIFICATE_WATCH_CONTAINER,
    image: watched.image,
    command: ['/bin/sh', '-c', CERTIFICATE_WATCH_SCRIPT, CERTIFICATE_WATCH_CONTAINER, 'watch', certificate, STATE_DIR, commandLine, String(INTERVAL_SECONDS)],
    lifecycle: { postStart: { exec: { command: ['/bin/sh', '-c', CERTIFICATE_RECORDED_SCRIPT, CERTIFICATE_WATCH_CONTAINER, `${STATE_DIR}/loaded`] } } },
    ...(user === undefined ? {} : { securityContext: { runAsUser: user } }),
    volumeMounts: [
      { name: watched.volume, mountPath: mount.mountPath, readOnly: true },
      { name: STATE_VOLUME, mountPath: STATE_DIR },
      { name: NO_TOKEN_VOLUME, mountPath: TOKEN_PATH, readOnly: true },
    ],
  };
  return {
    ...spec,
    shareProcessNamespace: true,
    containers: [watcher, ...spec.containers],
    volumes: [
      ...spec.volumes,
      { name: STATE_VOLUME, emptyDir: { sizeLimit: '1Mi' } },
      { name: NO_TOKEN_VOLUME, emptyDir: { sizeLimit: '1Ki' } },
    ],
  };
}
