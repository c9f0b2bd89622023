import type { FormItemRule } from 'element-plus';

/** Trimmed text, or null for an empty field (the contract's "not recorded"). */
export const orNull = (s: string): string | null => (s.trim() ? s.trim() : null);

/** A length rule with the message clerks see everywhere: 选区不超过60个字. */
export const maxLength = (n: number, label: string): FormItemRule => ({ max: n, message: `${label}不超过${n}个字`, trigger: 'blur' });

/**
 * Free text with the values already in use offered as suggestions (el-autocomplete),
 * so a new term or township is just typed. At most 50, as a province has hundreds.
 */
export function suggestFrom(values: readonly string[]) {
  return (query: string, done: (items: { value: string }[]) => void) =>
    done(values.filter((v) => !query || v.includes(query)).slice(0, 50).map((value) => ({ value })));
}
