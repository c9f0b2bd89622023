import { z } from 'zod';

// Messages from zod's own checks in Chinese, for every door.
z.config(z.locales.zhCN());

/**
 * One contract method: the zod schema its input is validated against at every
 * door, and (as a phantom type) what it returns. The pattern follows Actual
 * Budget's typed handler map: the Node side must implement every method with
 * exactly these types or it does not compile.
 */
export interface MethodSpec<I extends z.ZodType, O> {
  readonly input: I;
  readonly summary: string;
  /** Never read at run time; carries the output type. */
  readonly _output?: O;
}

export function method<I extends z.ZodType>(input: I, summary: string) {
  return {
    returns<O>(): MethodSpec<I, O> {
      return { input, summary };
    },
  };
}

/** Methods whose input is empty. */
export const noInput = z.object({}).strict().default({});

/** A file that crosses a door as bytes: browser upload, Electron dialog or CLI path. */
export const fileInput = z.object({
  name: z.string().min(1, '请选择文件'),
  base64: z.string().min(1, '文件内容为空'),
});
export type FileInput = z.infer<typeof fileInput>;

/** A file the core made for the user to save (Excel report, package …). */
export interface FileOutput {
  fileName: string;
  mimeType: string;
  base64: string;
}

export const pageInput = {
  page: z.number().int().min(1).default(1),
  pageSize: z.number().int().min(1).max(500).default(50),
};

export interface Page<T> {
  rows: T[];
  total: number;
  page: number;
  pageSize: number;
}

/** An optional free-text field: trimmed, at most `max` characters, and blank stored as null. */
export const optionalText = (max: number, label: string) =>
  z
    .string()
    .trim()
    .max(max, `${label}不超过${max}个字`)
    .transform((s) => (s === '' ? null : s))
    .nullable()
    .optional();
