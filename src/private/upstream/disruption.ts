// PodDisruptionBudgets for upstream workloads.
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { applySyncWave, SyncWave } from '../../core/sync-wave';

/** Options for {@link disruptionBudget}. */
export interface DisruptionBudgetOptions {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  /** The pods' labels (the workload's selector). */
  readonly selector: Record<string, string>;
  /** The workload's replicas. */
  readonly replicas: number;
}

/**
 * A PodDisruptionBudget: with several replicas, a voluntary eviction (node drain, upgrade) takes
 * at most one at a time; with one replica, it may take it (`maxUnavailable: 1`), because a budget
 * of zero would block every node drain.
 */
export function disruptionBudget(scope: Construct, id: string, options: DisruptionBudgetOptions): k8s.KubePodDisruptionBudget {
  const pdb = new k8s.KubePodDisruptionBudget(scope, id, {
    metadata: { name: options.name, namespace: options.namespace, labels: options.labels },
    spec: {
      ...(options.replicas > 1
        ? { minAvailable: k8s.IntOrString.fromNumber(options.replicas - 1) }
        : { maxUnavailable: k8s.IntOrString.fromNumber(1) }),
      selector: { matchLabels: options.selector },
    },
  });
  applySyncWave(pdb, SyncWave.WORKLOADS);
  return pdb;
}
