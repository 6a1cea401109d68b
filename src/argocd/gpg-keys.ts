import { readFileSync } from 'fs';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { GPG_KEYS_CONFIG_MAP } from './private/gpg-keyring';
import { parsePublicKey } from './private/openpgp';
import { standardLabels } from '../core/labels';
import { applySyncWave, SyncWave } from '../core/sync-wave';
import { bindFactoryProblems, deferredChecks, invalid, recordFactoryProblem } from '../private/errors';
import { sortedRecord } from '../private/render';
import { registerLibraryConstruct } from '../private/stamp';
import { quoted, requireDns1123Label } from '../private/validate';


/**
 * A GnuPG public key for Argo CD's keyring, read at synth. Its key ID (the name Argo CD files it
 * under) is computed from the key itself, so it always matches what GnuPG reports.
 */
export class GpgPublicKey {
  /**
   * An ASCII-armored public key (`gpg --armor --export <key ID>`): one primary key with its user
   * IDs and subkeys. Private key blocks are refused.
   */
  public static fromArmored(armored: string): GpgPublicKey {
    return new GpgPublicKey(armored, 'armored');
  }

  /**
   * An ASCII-armored public key read from a file when the app is synthesized (e.g. a key
   * committed next to the code: `keys/release.asc`).
   */
  public static fromFile(path: string): GpgPublicKey {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      const key = new GpgPublicKey('', 'file');
      recordFactoryProblem(key, 'file', `${quoted(path)} cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'}): give the path of an ASCII-armored public key`);
      return key;
    }
    return new GpgPublicKey(text, 'file');
  }

  /** Whether `x` was made by a GpgPublicKey factory. */
  public static isGpgPublicKey(x: unknown): x is GpgPublicKey {
    return x instanceof GpgPublicKey;
  }

  /** The primary key's ID: 16 upper-case hex digits (the name of its entry in `argocd-gpg-keys-cm`). */
  public readonly keyId: string;
  /** The IDs of the primary key and its subkeys: a commit signed by any of them is reported with that ID. */
  public readonly keyIds: string[];
  /** The armored key as written to the ConfigMap. */
  public readonly armored: string;

  private constructor(text: string, property: string) {
    const parsed = text === '' ? undefined : parsePublicKey(text);
    if (typeof parsed === 'string') recordFactoryProblem(this, property, parsed);
    const ok = typeof parsed === 'object' ? parsed : undefined;
    this.keyId = ok?.keyIds[0] ?? '';
    this.keyIds = ok?.keyIds ?? [];
    this.armored = ok ? `${text.trim()}\n` : '';
  }
}

/** Props for {@link ArgoCdGpgKeys}. */
export interface ArgoCdGpgKeysProps {
  /**
   * The namespace Argo CD runs in.
   * @default 'argocd'
   */
  readonly namespace?: string;
  /** The public keys whose signatures Argo CD can verify (at least one). */
  readonly keys: GpgPublicKey[];
}

/**
 * Argo CD's GnuPG keyring: the `argocd-gpg-keys-cm` ConfigMap, one entry per public key named
 * by its key ID, which the repo-server imports. AppProjects' `gitSignatureVerification` can
 * only trust keys in this keyring. `SecureArgoCD` creates it from its `gpgKeys`; use this
 * construct directly only when Argo CD is installed by other means.
 */
export class ArgoCdGpgKeys extends Construct {
  /** The key IDs of the keyring (primary keys and subkeys). */
  public readonly keyIds: string[];

  constructor(scope: Construct, id: string, props: ArgoCdGpgKeysProps) {
    super(scope, id);
    registerLibraryConstruct(this, 'argocd');
    const namespace = requireDns1123Label(this, 'namespace', props.namespace ?? 'argocd');
    if (!Array.isArray(props.keys) || props.keys.length === 0) invalid(this, 'keys', 'is empty: give at least one GpgPublicKey (GpgPublicKey.fromFile(...))');
    const data: Record<string, string> = {};
    const keyIds: string[] = [];
    props.keys.forEach((key, i) => {
      if (!GpgPublicKey.isGpgPublicKey(key)) invalid(this, `keys[${i}]`, 'is not a GpgPublicKey: use GpgPublicKey.fromFile() or GpgPublicKey.fromArmored()');
      bindFactoryProblems(this, `keys[${i}]`, key);
      if (key.keyId === '') return;
      if (data[key.keyId] !== undefined) {
        deferredChecks(this).check(`keys[${i}]`, `key ${key.keyId} is listed twice: keep one`);
        return;
      }
      data[key.keyId] = key.armored;
      keyIds.push(...key.keyIds);
    });
    this.keyIds = [...new Set(keyIds)];
    const configMap = new k8s.KubeConfigMap(this, 'ConfigMap', {
      metadata: { name: GPG_KEYS_CONFIG_MAP, namespace, labels: standardLabels({ name: GPG_KEYS_CONFIG_MAP, partOf: 'argocd' }) },
      data: sortedRecord(data),
    });
    applySyncWave(configMap, SyncWave.STORAGE_AND_SECRETS);
  }
}
