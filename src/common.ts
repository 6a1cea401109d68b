import { isIP } from 'net';
import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';

/** The label that names the application a resource belongs to. */
export const LABEL_NAME = 'app.kubernetes.io/name';
/** The label that names the larger application a resource is part of. */
export const LABEL_PART_OF = 'app.kubernetes.io/part-of';
/** The label that names the component within the architecture. */
export const LABEL_COMPONENT = 'app.kubernetes.io/component';
/** The label that names the tool that manages a resource. */
export const LABEL_MANAGED_BY = 'app.kubernetes.io/managed-by';
/** The value of `app.kubernetes.io/managed-by` on everything this library emits. */
export const MANAGED_BY = 'cdk8s-secure-argo';

/** Options for the standard `app.kubernetes.io/*` labels. */
export interface StandardLabelsOptions {
  /** `app.kubernetes.io/name`. */
  readonly name: string;
  /**
   * `app.kubernetes.io/part-of`.
   * @default - not set
   */
  readonly partOf?: string;
  /**
   * `app.kubernetes.io/component`.
   * @default - not set
   */
  readonly component?: string;
}

/**
 * The standard `app.kubernetes.io/*` labels, in a stable key order, with
 * `app.kubernetes.io/managed-by: cdk8s-secure-argo`.
 */
export function standardLabels(options: StandardLabelsOptions): Record<string, string> {
  const labels: Record<string, string> = { [LABEL_NAME]: options.name };
  if (options.partOf) labels[LABEL_PART_OF] = options.partOf;
  if (options.component) labels[LABEL_COMPONENT] = options.component;
  labels[LABEL_MANAGED_BY] = MANAGED_BY;
  return labels;
}

/**
 * Argo CD sync waves, in the order the seed's deployment plan applies resources:
 * namespaces and CRDs first, then identities and RBAC, then storage and secrets, then workloads.
 */
export enum SyncWave {
  /** Namespaces and CustomResourceDefinitions. */
  NAMESPACES_AND_CRDS = 0,
  /** ServiceAccounts, Roles, RoleBindings and policies. */
  SERVICE_ACCOUNTS_AND_RBAC = 1,
  /** PersistentVolumeClaims, ConfigMaps, Secrets and the resources that produce them. */
  STORAGE_AND_SECRETS = 2,
  /** Deployments, Workflows, Applications and other workloads. */
  WORKLOADS = 3,
}

/** The annotation Argo CD reads to order a sync. */
export const SYNC_WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';

/** Puts a synthesized object into an Argo CD sync wave. */
export function applySyncWave(obj: ApiObject, wave: SyncWave): void {
  obj.metadata.addAnnotation(SYNC_WAVE_ANNOTATION, String(wave));
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** True if `value` is a DNS-1123 label (namespaces, service names): at most 63 characters. */
export function isDns1123Label(value: string): boolean {
  return value.length <= 63 && DNS1123_LABEL.test(value);
}

/** True if `value` is a DNS-1123 subdomain (most object names): at most 253 characters. */
export function isDns1123Subdomain(value: string): boolean {
  return value.length <= 253 && DNS1123_SUBDOMAIN.test(value);
}

/**
 * Throws the library's standard error: it names the construct, the property, what is wrong
 * and how to fix it.
 * @internal
 */
export function invalid(construct: IConstruct | string, property: string, problem: string): never {
  const where = typeof construct === 'string' ? construct : `${construct.constructor.name} '${construct.node.path}'`;
  throw new Error(`${where}: ${property}: ${problem}`);
}

/** @internal */
export function requireDns1123Label(construct: IConstruct | string, property: string, value: string): string {
  if (!isDns1123Label(value)) {
    invalid(construct, property, `'${value}' is not a DNS-1123 label: use at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit`);
  }
  return value;
}

/** @internal */
export function requireDns1123Subdomain(construct: IConstruct | string, property: string, value: string): string {
  if (!isDns1123Subdomain(value)) {
    invalid(construct, property, `'${value}' is not a DNS-1123 subdomain: use lowercase letters, digits, '-' and '.', starting and ending with a letter or digit`);
  }
  return value;
}

/**
 * Accepts an IPv4 or IPv6 CIDR block whose prefix length fits the address family.
 * @internal
 */
export function requireCidr(construct: IConstruct | string, property: string, cidr: string): string {
  const match = /^([0-9A-Fa-f:.]+)\/([0-9]{1,3})$/.exec(cidr);
  const family = match ? isIP(match[1]) : 0;
  const bits = match ? Number(match[2]) : NaN;
  const valid = family === 4 ? bits <= 32 && !/(^|\.)0[0-9]/.test(match![1]) : family === 6 ? bits <= 128 : false;
  if (!valid) {
    invalid(construct, property, `'${cidr}' is not a CIDR block: write an IPv4 or IPv6 address with a prefix length, e.g. 10.0.0.0/8 or fd00::/8`);
  }
  return cidr;
}

/** @internal */
export function requirePort(construct: IConstruct | string, property: string, port: number): number {
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    invalid(construct, property, `${port} is not a port number: use an integer from 1 to 65535`);
  }
  return port;
}

// Intl.supportedValuesOf builds a new array of ~430 names on every call, and a platform asks
// about the same few zones once per sync window: read the names once, remember each answer.
let ianaTimeZones: Set<string> | undefined;
const timeZoneAnswers = new Map<string, boolean>();

/**
 * True for a name Go's `time.LoadLocation` (Argo CD, the workflow controller) finds in the tz
 * database.
 * @internal
 */
export function isIanaTimeZone(zone: string): boolean {
  let valid = timeZoneAnswers.get(zone);
  if (valid === undefined) {
    valid = checkTimeZone(zone);
    timeZoneAnswers.set(zone, valid);
  }
  return valid;
}

/**
 * True for a name Go's `time.LoadLocation` finds in the tz database. Intl knows the same names
 * but ignores case, while tzdata file names are case-sensitive ('europe/berlin' fails in Argo CD).
 */
function checkTimeZone(zone: string): boolean {
  ianaTimeZones ??= new Set(Intl.supportedValuesOf('timeZone'));
  if (zone === 'UTC' || ianaTimeZones.has(zone)) return true;
  if (!/^[A-Z][A-Za-z0-9_+-]*(\/[A-Z][A-Za-z0-9_+-]*)*$/.test(zone)) return false;
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return false;
  }
  // An alias (e.g. 'Asia/Kolkata', 'Etc/UTC') resolves to another name; a canonical name in the
  // wrong case resolves to itself spelled differently.
  return resolved === zone || resolved.toLowerCase() !== zone.toLowerCase();
}

/**
 * Returns a copy of `record` with its keys in sorted order, so output stays stable however the
 * caller built it.
 * @internal
 */
export function sortedRecord<T>(record: Record<string, T>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const key of Object.keys(record).sort()) out[key] = record[key];
  return out;
}
