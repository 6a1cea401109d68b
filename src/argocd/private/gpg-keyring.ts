// Whether Argo CD's GnuPG keyring holds the keys a project trusts. The keyring is ConfigMap
// argocd-gpg-keys-cm (entries named by key ID), which the repo-server imports.
import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';

/** The ConfigMap the repo-server mounts and syncs its GnuPG keyring from (one file per key). */
export const GPG_KEYS_CONFIG_MAP = 'argocd-gpg-keys-cm';

/** Anything in the app that knows key IDs beyond the ConfigMap's entry names (subkeys). */
interface KeyIdSource { readonly keyIds: string[] }

/** What the app's keyring holds: how many argocd-gpg-keys-cm it writes and every key ID it knows. */
interface Keyring { readonly configMaps: number; readonly keyIds: ReadonlySet<string> }

/**
 * The keyring of each app (by root), found once per validation pass and shared by every project
 * that checks its keys: cdk8s validates the whole app again before it renders each chart, so a
 * search of the tree per project would cost projects x charts. The root's hook, which runs first
 * in every pass, drops it, so each pass (and each synth) sees the tree as it is then.
 */
const keyrings = new WeakMap<IConstruct, { current?: Keyring }>();

function keyringOf(scope: IConstruct, isKeyring: (c: IConstruct) => c is IConstruct & KeyIdSource): Keyring {
  const pass = keyrings.get(scope.node.root)!;
  if (!pass.current) {
    const all = scope.node.root.node.findAll();
    const configMaps = all.filter((c): c is ApiObject => ApiObject.isApiObject(c) && c.kind === 'ConfigMap' && c.metadata.name === GPG_KEYS_CONFIG_MAP);
    pass.current = {
      configMaps: configMaps.length,
      keyIds: new Set([...all.filter(isKeyring).flatMap((k) => k.keyIds), ...configMaps.flatMap((c) => Object.keys(c.toJson().data ?? {}))]),
    };
  }
  return pass.current;
}

/**
 * Checks, when the app is validated, that Argo CD can verify signatures made with `keyIds` (a
 * project's trusted keys). When the app writes argocd-gpg-keys-cm (ArgoCdGpgKeys, or the empty
 * one of SecureArgoCD's install) a key missing from it is an error, as every sync of the
 * project would fail verification; when it does not, a warning (once) says the keyring must hold them.
 * @param isKeyring recognises ArgoCdGpgKeys (which also knows subkey IDs)
 */
export function checkKeysInKeyring(
  scope: IConstruct, property: string, keyIds: string[], isKeyring: (c: IConstruct) => c is IConstruct & KeyIdSource,
): void {
  const root = scope.node.root;
  if (!keyrings.has(root)) {
    const pass: { current?: Keyring } = {};
    keyrings.set(root, pass);
    root.node.addValidation({
      validate: () => {
        pass.current = undefined;
        return [];
      },
    });
  }
  scope.node.addValidation({
    validate: () => {
      const keyring = keyringOf(scope, isKeyring);
      const missing = keyIds.filter((id) => !keyring.keyIds.has(id));
      if (missing.length === 0) return [];
      const where = `${scope.constructor.name} '${scope.node.path}': ${property}`;
      const list = missing.join(', ');
      if (keyring.configMaps === 0) {
        const warning = `${where}: Argo CD's keyring (${GPG_KEYS_CONFIG_MAP}) is not part of this app: make sure it holds ${list}, `
          + 'or every sync of this project fails signature verification';
        if (!scope.node.metadata.some((m) => m.type === 'warning' && m.data === warning)) scope.node.addMetadata('warning', warning);
        return [];
      }
      return [`${where}: ${list} ${missing.length > 1 ? 'are' : 'is'} not in Argo CD's keyring (${GPG_KEYS_CONFIG_MAP}), so every sync of this `
        + "project would fail signature verification: add the public key to SecureArgoCD's gpgKeys (GpgPublicKey.fromFile(...)), or list the ID of a key that is there"];
    },
  });
}
