import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { secretKeyProblem } from './names';
import { BoundSource, remoteKeyProblem, SecretSpec, templateSyntaxProblem } from './secret-spec';
import { applySyncWave, SyncWave } from '../../core/sync-wave';
import {
  ExternalSecret as L1ExternalSecret,
  ExternalSecretSpecSecretStoreRefKind,
  ExternalSecretSpecTargetCreationPolicy,
  ExternalSecretSpecTargetDeletionPolicy,
  ExternalSecretSpecTargetTemplateEngineVersion,
  ExternalSecretSpecTargetTemplateMergePolicy,
} from '../../imports/externalsecrets-external-secrets.io';
import { bindFactoryRisks } from '../../private/accepted-risks';
import { goDuration } from '../../private/duration';
import { bindFactoryProblems, deferredChecks, invalid } from '../../private/errors';
import { quoted } from '../../private/validate';
import { ExternalDataFrom } from '../external-data';
import { ExternalSecretCreationPolicy, ExternalSecretDeletionPolicy } from '../external-secret-policy';
import { SecretOrigin } from '../secret-key-ref';
import type { ExternalSourceOptions } from '../secret-source';
import { SecretStoreKind } from '../secret-stores';

/** Creates the ExternalSecret of `secret` from an external source. */
export function bindExternalSource(o: ExternalSourceOptions, secret: IConstruct, spec: SecretSpec): BoundSource {
  const store = o.store;
  if (!store || !store.storeName || !Object.values(SecretStoreKind).includes(store.storeKind)) {
    invalid(secret, 'source.store', 'no store given: use a SecretStore of this app, SecretStoreRef.existing() or SecretStoreRef.existingCluster()');
  }
  // Independent problems are reported together at synth.
  const checks = deferredChecks(secret);
  if (store.storeKind === SecretStoreKind.SECRET_STORE && store.storeNamespace !== undefined && store.storeNamespace !== spec.namespace) {
    checks.check('source.store', `SecretStore ${quoted(store.storeName)} is in namespace ${quoted(store.storeNamespace)}, but a namespaced store serves only its own namespace: create the store in '${spec.namespace}' or use a ClusterSecretStore`);
  }
  bindFactoryProblems(secret, 'source.store', store);
  const dataKeys = Object.keys(o.data ?? {}).sort();
  const dataFrom = o.dataFrom ?? [];
  if (dataKeys.length === 0 && dataFrom.length === 0) {
    checks.check('source.data', 'no data given: map at least one Secret key to a RemoteRef in data, or give dataFrom');
  }
  const data = dataKeys.map((key) => {
    checks.check('source.data', secretKeyProblem(key));
    const ref = o.data![key];
    checks.check(`source.data[${quoted(key)}].key`, remoteKeyProblem(ref));
    return { secretKey: key, remoteRef: { key: ref?.key, property: ref?.property, version: ref?.version } };
  });
  dataFrom.forEach((d, i) => {
    if (!ExternalDataFrom.isExternalDataFrom(d)) {
      invalid(secret, `source.dataFrom[${i}]`, 'is not an ExternalDataFrom: use ExternalDataFrom.extract() or .find()');
    }
    bindFactoryProblems(secret, `source.dataFrom[${i}]`, d);
  });
  const expectedKeys = [...(o.expectedKeys ?? [])].sort();
  for (const key of expectedKeys) {
    checks.check('source.expectedKeys', secretKeyProblem(key));
    if (dataKeys.includes(key)) {
      checks.check('source.expectedKeys', `${quoted(key)} is already a data key: list only keys that dataFrom produces`);
    }
  }
  if (expectedKeys.length > 0 && dataFrom.length === 0) {
    checks.check('source.expectedKeys', 'only dataFrom produces undeclared keys: map each key in data instead');
  }
  if (new Set(expectedKeys).size !== expectedKeys.length) {
    checks.check('source.expectedKeys', 'lists a key twice: list each key once');
  }
  const creationPolicy = o.creationPolicy ?? ExternalSecretCreationPolicy.OWNER;
  const deletionPolicy = o.deletionPolicy ?? ExternalSecretDeletionPolicy.RETAIN;
  if (deletionPolicy === ExternalSecretDeletionPolicy.DELETE && creationPolicy !== ExternalSecretCreationPolicy.OWNER) {
    checks.check('source.deletionPolicy', `Delete needs creationPolicy Owner (got ${creationPolicy}), as ESO deletes only Secrets it owns: use ExternalSecretCreationPolicy.OWNER, or deletionPolicy RETAIN or MERGE`);
  }
  // ESO renders template data, labels and annotations as Go templates.
  for (const [key, value] of Object.entries(spec.annotations)) {
    checks.check('annotations', templateSyntaxProblem(key, value));
  }
  const hasPublicData = Object.keys(spec.publicData).length > 0;

  const external = new L1ExternalSecret(secret, 'Resource', {
    metadata: { name: spec.name, namespace: spec.namespace },
    spec: {
      refreshInterval: goDuration(o.refreshInterval ?? Duration.hours(1)),
      secretStoreRef: { name: store.storeName, kind: store.storeKind as string as ExternalSecretSpecSecretStoreRefKind },
      target: {
        name: spec.name,
        creationPolicy: creationPolicy as string as ExternalSecretSpecTargetCreationPolicy,
        deletionPolicy: deletionPolicy as string as ExternalSecretSpecTargetDeletionPolicy,
        // Always a template with explicit metadata: without one, ESO copies the ExternalSecret's
        // own labels and annotations (Argo CD's tracking annotation among them) to the Secret.
        template: {
          engineVersion: ExternalSecretSpecTargetTemplateEngineVersion.V2,
          type: spec.type,
          metadata: { labels: spec.labels, annotations: spec.annotations },
          data: hasPublicData ? spec.publicData : undefined,
          mergePolicy: hasPublicData ? ExternalSecretSpecTargetTemplateMergePolicy.MERGE : undefined,
        },
      },
      data: data.length > 0 ? data : undefined,
      dataFrom: dataFrom.length > 0 ? dataFrom.map((d) => d._spec) : undefined,
    },
  });
  applySyncWave(external, SyncWave.STORAGE_AND_SECRETS);
  dataFrom.forEach((d, i) => bindFactoryRisks(external, `source.dataFrom[${i}]`, d));
  return { origin: SecretOrigin.EXTERNAL, secretKeys: [...dataKeys, ...expectedKeys], hasUndeclaredKeys: dataFrom.length > 0 };
}
