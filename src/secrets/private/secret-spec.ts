import { IConstruct } from 'constructs';
import { quoted } from '../../private/validate';
import { SecretOrigin } from '../secret-key-ref';

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

/** Both controllers render template data (and ESO labels and annotations) as Go templates. */
export function templateSyntaxProblem(key: string, value: string): string | undefined {
  if (typeof value !== 'string') return `the value of ${quoted(key)} is not a string: give a string`;
  if (value.includes('{{')) return `the value of ${quoted(key)} contains '{{', which the controller would run as a Go template: remove it`;
  return undefined;
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
