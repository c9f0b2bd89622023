import { contextBridge, ipcRenderer } from 'electron';
import { METHOD_NAMES } from '../shared/contract/index.js';

/**
 * The only bridge into the page: `window.api.invoke(method, input)` for the
 * contract's methods, nothing else. The page never sees ipcRenderer.
 */
const allowed = new Set<string>(METHOD_NAMES);

contextBridge.exposeInMainWorld('api', {
  invoke(method: string, input: unknown): Promise<unknown> {
    if (!allowed.has(method)) {
      return Promise.resolve({ ok: false, error: { code: 'UNKNOWN_METHOD', message: `未知的操作：${method}` } });
    }
    return ipcRenderer.invoke(`api:${method}`, input);
  },
});
