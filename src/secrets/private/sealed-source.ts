import { IConstruct } from 'constructs';
import { applySyncWave, SyncWave } from '../../core/sync-wave';
import { SealedSecret as L1SealedSecret } from '../../imports/sealedsecrets-bitnami.com';
import { reasonProblem, recordAcceptedRisk } from '../../private/accepted-risks';
import { bindFactoryProblems, deferredChecks, invalid } from '../../private/errors';
import { quoted } from '../../private/validate';
import { SealedValue } from '../sealed-value';
import { SealingCertificate } from '../sealing-certificate';
import { SealingScope } from '../sealing-scope';
import { SecretOrigin } from '../secret-key-ref';
import type { SealedSourceOptions } from '../secret-source';
import { secretKeyProblem } from './names';
import { SealedSecretsLock } from './sealing';
import { BoundSource, SecretSpec } from './secret-spec';

const DEFAULT_LOCK_FILE = 'sealed-secrets.lock.json';
/** Annotation on a SealedSecret that lets it be unsealed under any name in its namespace. */
const NAMESPACE_WIDE_ANNOTATION = 'sealedsecrets.bitnami.com/namespace-wide';
/** Annotation on a SealedSecret that lets it be unsealed under any name in any namespace. */
const CLUSTER_WIDE_ANNOTATION = 'sealedsecrets.bitnami.com/cluster-wide';

/** Creates the SealedSecret of `secret` from a sealed source. */
export function bindSealedSource(o: SealedSourceOptions, secret: IConstruct, spec: SecretSpec): BoundSource {
  const scope = o.scope ?? SealingScope.STRICT;
  if (!Object.values(SealingScope).includes(scope)) {
    invalid(secret, 'source.scope', `${quoted(scope)} is not a sealing scope: use SealingScope.STRICT, NAMESPACE_WIDE or CLUSTER_WIDE`);
  }
  const clusterWide = o.allowClusterWide;
  if (scope === SealingScope.CLUSTER_WIDE && clusterWide === undefined) {
    invalid(secret, 'source.scope', "cluster-wide sealing lets anyone who can create a SealedSecret in any namespace read the values: use SealingScope.STRICT, or set allowClusterWide: { reason: '...' } to accept that");
  }
  // A reason given is checked whatever the scope; it is recorded only on a cluster-wide SealedSecret.
  const clusterWideReason = clusterWide !== undefined
    && deferredChecks(secret).check('source.allowClusterWide.reason', reasonProblem(clusterWide?.reason, 'why any namespace may unseal the values'))
    && scope === SealingScope.CLUSTER_WIDE ? clusterWide.reason : undefined;
  const keys = Object.keys(o.values ?? {}).sort();
  if (keys.length === 0) {
    invalid(secret, 'source.values', 'no values given: a sealed secret needs at least one SealedValue');
  }
  if (o.certificate !== undefined && !SealingCertificate.isSealingCertificate(o.certificate)) {
    invalid(secret, 'source.certificate', 'is not a SealingCertificate: use SealingCertificate.fromFile() or .fromPem()');
  }
  if (o.certificate !== undefined) bindFactoryProblems(secret, 'source.certificate', o.certificate);
  const label = scope === SealingScope.STRICT ? `${spec.namespace}/${spec.name}`
    : scope === SealingScope.NAMESPACE_WIDE ? spec.namespace : '';
  const lock = new SealedSecretsLock(o.lockFile ?? DEFAULT_LOCK_FILE);

  const lowEntropy = o.acknowledgeLowEntropy;
  const lowEntropyReasonOk = lowEntropy !== undefined
    && deferredChecks(secret).check('source.acknowledgeLowEntropy.reason', reasonProblem(lowEntropy?.reason, 'why a weak value is acceptable'));
  const encryptedData: Record<string, string> = {};
  for (const key of keys) {
    // A bad key is reported at synth; nothing is sealed (or written to the lock file) for it.
    if (!deferredChecks(secret).check('source.values', secretKeyProblem(key))) continue;
    const value = o.values[key];
    if (!SealedValue.isSealedValue(value)) {
      invalid(secret, 'source.values', `value ${quoted(key)} is not a SealedValue: use SealedValue.preSealed(), .fromEnv() or .fromFile()`);
    }
    bindFactoryProblems(secret, `source.values[${quoted(key)}]`, value);
    encryptedData[key] = value._ciphertext({
      secret,
      key,
      lock,
      certificate: o.certificate,
      scope,
      label,
      entryKey: `${spec.namespace}/${spec.name}/${key}`,
      lowEntropyAcknowledged: o.acknowledgeLowEntropy !== undefined,
    });
  }

  const annotations: Record<string, string> = {};
  if (scope === SealingScope.NAMESPACE_WIDE) annotations[NAMESPACE_WIDE_ANNOTATION] = 'true';
  if (scope === SealingScope.CLUSTER_WIDE) annotations[CLUSTER_WIDE_ANNOTATION] = 'true';
  const sealed = new L1SealedSecret(secret, 'Resource', {
    metadata: { name: spec.name, namespace: spec.namespace, annotations },
    spec: {
      encryptedData,
      template: {
        type: spec.type,
        metadata: templateMetadata(spec),
        data: Object.keys(spec.publicData).length > 0 ? spec.publicData : undefined,
      },
    },
  });
  applySyncWave(sealed, SyncWave.STORAGE_AND_SECRETS);
  if (lowEntropyReasonOk) recordAcceptedRisk(sealed, 'source.acknowledgeLowEntropy', lowEntropy.reason);
  if (clusterWideReason !== undefined) recordAcceptedRisk(sealed, 'source.allowClusterWide', clusterWideReason);
  return { origin: SecretOrigin.SEALED, secretKeys: keys, hasUndeclaredKeys: false };
}

function templateMetadata(spec: SecretSpec): { labels?: Record<string, string>; annotations?: Record<string, string> } | undefined {
  const labels = Object.keys(spec.labels).length > 0 ? spec.labels : undefined;
  const annotations = Object.keys(spec.annotations).length > 0 ? spec.annotations : undefined;
  return labels || annotations ? { labels, annotations } : undefined;
}
