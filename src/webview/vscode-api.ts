// The webview side of VS Code's message channel, typed with the protocol's messages.
import type { FromWebview } from '../protocol/granule-map';

export interface VsCodeApi {
  postMessage(msg: FromWebview): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** The API, or a stand-in that drops messages when the page runs outside VS Code (a plain browser). */
export function vscodeApi(): VsCodeApi {
  if (typeof acquireVsCodeApi === 'function') return acquireVsCodeApi();
  let saved: unknown;
  return { postMessage: () => undefined, getState: () => saved, setState: (s) => { saved = s; } };
}
