import { goNumberProblem, isDataKey, quoted, safeTextProblem } from '../../private/validate';

/** Why `key` cannot be a key of a Secret, or undefined. */
export function secretKeyProblem(key: string): string | undefined {
  if (!isDataKey(key)) {
    return `${quoted(key)} is not a valid Secret key: use only letters, digits, '-', '_' and '.'`;
  }
  return goNumberProblem(key);
}

/**
 * Why a free value written in a Secret template or annotation would not read back as given, or
 * undefined: no control characters, line separators or invisible marks (line feeds and tabs are
 * fine), no Go number forms. Empty is fine when `allowEmpty`.
 */
export function plainValueProblem(value: string, allowEmpty: boolean = false): string | undefined {
  if (allowEmpty && value === '') return undefined;
  return safeTextProblem(value, { multiline: true, maxLength: 65536 });
}

/** A DNS-1123 name from a construct id: `RepoCreds` and `repo_creds` become `repo-creds`. */
export function nameFromId(id: string): string {
  return id
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '');
}
