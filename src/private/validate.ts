import { isIP } from 'net';
import { IConstruct } from 'constructs';
import { invalid } from './errors';

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
