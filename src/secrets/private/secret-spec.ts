import { IConstruct } from 'constructs';
import { invalid } from '../../private/errors';
import { SecretOrigin } from '../secret-key-ref';
import { secretKeyProblem } from './names';

/** What a source needs to know about the Secret it produces. */
export interface SecretSpec {
  readonly name: string;
  readonly namespace: string;
  readonly type: string;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly publicData: Record<string, string>;
}

/** What a source reports back: the keys it produces. */
export interface BoundSource {
  readonly origin: SecretOrigin;
  readonly secretKeys: string[];
  /** True if the source makes keys at run time that are not all declared. */
  readonly hasUndeclaredKeys: boolean;
}

export function requireSecretKey(construct: IConstruct, property: string, key: string): void {
  const problem = secretKeyProblem(key);
  if (problem) invalid(construct, property, problem);
}

/** Both controllers render template data (and ESO labels and annotations) as Go templates. */
export function rejectTemplateSyntax(construct: IConstruct, property: string, key: string, value: string): void {
  if (typeof value !== 'string') {
    invalid(construct, property, `the value of '${key}' is not a string: give a string`);
  }
  if (value.includes('{{')) {
    invalid(construct, property, `the value of '${key}' contains '{{', which the controller would run as a Go template: remove it`);
  }
}

/** A synth-time warning: recorded on the construct and printed. */
export function warn(construct: IConstruct, message: string): void {
  construct.node.addMetadata('warning', message);
  process.stderr.write(`[WARNING] ${construct.node.path}: ${message}\n`);
}

/** Why `ref` does not name a provider secret (an ESO `remoteRef`), or undefined. */
export function remoteKeyProblem(ref: { readonly key: string } | undefined): string | undefined {
  return !ref || typeof ref.key !== 'string' || ref.key.length === 0 ? 'no remote key given: name the secret in the provider' : undefined;
}
