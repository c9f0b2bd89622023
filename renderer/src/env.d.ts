/// <reference types="vite/client" />
import type { InputOf, MethodName, OutputOf } from '@shared/contract/index';
import type { Result } from '@shared/errors';

/** What electron/preload.ts exposes: one door onto the contract, answering the Result object. */
export interface DeputyDeskBridge {
  invoke<M extends MethodName>(method: M, input: InputOf<M>): Promise<Result<OutputOf<M>>>;
}

declare global {
  interface Window {
    api?: DeputyDeskBridge;
  }
}
