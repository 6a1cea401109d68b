import { Size, SizeRoundingBehavior } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { deferredChecks } from './errors';
import { quoted } from './validate';
import { ContainerResources } from '../core/container-resources';

/** The user and group IDs restricted pods run as when a construct does not say otherwise. */
export const DEFAULT_RUN_AS_USER = 65532;

/**
 * The pod security context of the Pod Security Standards "restricted" profile.
 * @internal
 */
export function restrictedPodSecurityContext(runAsUser: number = DEFAULT_RUN_AS_USER): k8s.PodSecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser,
    runAsGroup: runAsUser,
    fsGroup: runAsUser,
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/**
 * The container security context of the "restricted" profile, with a read-only root filesystem.
 * @internal
 */
export function restrictedContainerSecurityContext(): k8s.SecurityContext {
  return {
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'] },
    privileged: false,
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** A container's requests and limits as Kubernetes quantity strings (`100m`, `1`, `128Mi`, `1Gi`). */
export interface RenderedResources {
  readonly cpuRequest: string;
  readonly cpuLimit: string;
  readonly memoryRequest: string;
  readonly memoryLimit: string;
}

/**
 * Renders typed resources as quantity strings, checking them at synth (deferred on `scope`, under
 * `<property>.<field>`): positive, CPU in whole millicores, memory at least 1 MiB in whole KiB,
 * each request at most its limit. Invalid amounts still render, so every problem is reported.
 * @internal
 */
export function renderResources(scope: IConstruct, property: string, resources: ContainerResources): RenderedResources {
  const checks = deferredChecks(scope);
  const cpu = (field: 'cpuRequest' | 'cpuLimit') => {
    const { millis, text, problem } = cpuMillis(resources?.[field]);
    checks.check(`${property}.${field}`, problem);
    return { millis, text };
  };
  const memory = (field: 'memoryRequest' | 'memoryLimit') => {
    const { kib, text, problem } = memoryKib(resources?.[field]);
    checks.check(`${property}.${field}`, problem);
    return { kib, text };
  };
  const cpuRequest = cpu('cpuRequest');
  const cpuLimit = cpu('cpuLimit');
  const memoryRequest = memory('memoryRequest');
  const memoryLimit = memory('memoryLimit');
  if (cpuRequest.millis !== undefined && cpuLimit.millis !== undefined && cpuRequest.millis > cpuLimit.millis) {
    checks.check(`${property}.cpuRequest`, `${cpuRequest.text} is more than cpuLimit ${cpuLimit.text}: a request above its limit is refused by Kubernetes; lower cpuRequest or raise cpuLimit`);
  }
  if (memoryRequest.kib !== undefined && memoryLimit.kib !== undefined && memoryRequest.kib > memoryLimit.kib) {
    checks.check(`${property}.memoryRequest`, `${memoryRequest.text} is more than memoryLimit ${memoryLimit.text}: a request above its limit is refused by Kubernetes; lower memoryRequest or raise memoryLimit`);
  }
  return { cpuRequest: cpuRequest.text, cpuLimit: cpuLimit.text, memoryRequest: memoryRequest.text, memoryLimit: memoryLimit.text };
}

/**
 * Resource requirements with requests and limits, as L1 quantities (see {@link renderResources}).
 * @internal
 */
export function resourceRequirements(scope: IConstruct, property: string, resources: ContainerResources): k8s.ResourceRequirements {
  const r = renderResources(scope, property, resources);
  return {
    requests: { cpu: k8s.Quantity.fromString(r.cpuRequest), memory: k8s.Quantity.fromString(r.memoryRequest) },
    limits: { cpu: k8s.Quantity.fromString(r.cpuLimit), memory: k8s.Quantity.fromString(r.memoryLimit) },
  };
}

// Cpu keeps only its quantity text (`Cpu.millis(100)` is '100m', `Cpu.units(1)` is '1').
const CPU_AMOUNT = /^(\d+(?:\.\d+)?)(m?)$/;

function cpuMillis(value: unknown): { millis?: number; text: string; problem?: string } {
  const amount = (value as { amount?: unknown } | undefined)?.amount;
  if (typeof amount !== 'string') {
    return { text: String(value), problem: `${quoted(value)} is not a CPU amount: use Cpu.millis(n) or Cpu.units(n), e.g. Cpu.millis(100)` };
  }
  const match = CPU_AMOUNT.exec(amount);
  const millis = match ? Number(match[1]) * (match[2] ? 1 : 1000) : NaN;
  if (!Number.isSafeInteger(millis) || millis <= 0) {
    return { text: amount, problem: `${quoted(amount)} is not a positive number of whole millicores: use e.g. Cpu.millis(100) or Cpu.units(1)` };
  }
  return { millis, text: millis % 1000 === 0 ? String(millis / 1000) : `${millis}m` };
}

function memoryKib(value: unknown): { kib?: number; text: string; problem?: string } {
  const size = value as { toKibibytes?: unknown } | undefined;
  if (typeof size?.toKibibytes !== 'function') {
    return { text: String(value), problem: `${quoted(value)} is not a memory size: use Size.mebibytes(n) or Size.gibibytes(n), e.g. Size.mebibytes(128)` };
  }
  const kib = (value as Size).toKibibytes({ rounding: SizeRoundingBehavior.NONE });
  if (!Number.isSafeInteger(kib) || kib < 1024) {
    return { text: `${kib}Ki`, problem: `${kib} KiB is not a usable memory size: give at least 1 MiB in whole KiB, e.g. Size.mebibytes(128)` };
  }
  const text = kib % (1024 * 1024) === 0 ? `${kib / (1024 * 1024)}Gi` : kib % 1024 === 0 ? `${kib / 1024}Mi` : `${kib}Ki`;
  return { kib, text };
}
