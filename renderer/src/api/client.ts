import { ElMessage } from 'element-plus';
import type { InputOf, MethodName, OutputOf } from '@shared/contract/index';
import type { Result } from '@shared/errors';

const TOKEN_KEY = 'deputy-desk-token';

export class ApiError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
  }
}

/**
 * The serve door prints a URL with `?token=`; keep the token for this tab and
 * take it out of the address bar so it is not bookmarked or shown on screen.
 * Call once before the router starts.
 */
export function captureToken(): void {
  const params = new URLSearchParams(window.location.search);
  const token = params.get('token');
  if (!token) return;
  sessionStorage.setItem(TOKEN_KEY, token);
  params.delete('token');
  const search = params.toString();
  const url = window.location.pathname + (search ? `?${search}` : '') + window.location.hash;
  window.history.replaceState(window.history.state, '', url);
}

async function viaHttp(method: string, input: unknown): Promise<Result<unknown>> {
  let response: Response;
  try {
    response = await fetch(`/api/${method}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-deputy-desk-token': sessionStorage.getItem(TOKEN_KEY) ?? '',
      },
      body: JSON.stringify(input ?? {}),
    });
  } catch {
    return { ok: false, error: { code: 'INTERNAL', message: '无法连接到本机服务，请确认程序仍在运行后刷新页面。' } };
  }
  try {
    return (await response.json()) as Result<unknown>;
  } catch {
    return { ok: false, error: { code: 'INTERNAL', message: `本机服务返回了无法识别的内容（HTTP ${response.status}）。` } };
  }
}

/** Calls one contract method through whichever door the page came through. */
export async function call<M extends MethodName>(method: M, input: InputOf<M>): Promise<OutputOf<M>> {
  const result = window.api ? await window.api.invoke(method, input) : await viaHttp(method, input);
  if (!result.ok) throw new ApiError(result.error.code, result.error.message);
  return result.data as OutputOf<M>;
}

export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  return `操作失败：${err instanceof Error ? err.message : String(err)}`;
}

/** Shows the (already Chinese) server message to the clerk. */
export function showError(err: unknown): void {
  ElMessage.error({ message: errorMessage(err), showClose: true, duration: 6000 });
}
