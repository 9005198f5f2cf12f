import { CompletionService, SearchSettings, lineSuffixAllowsCompletion, lineSuffixAt } from '../core/completion';
import { ServedCompletion } from '../core/completion/completionService';
import { typingViewAt } from '../core/completion/typingView';

/**
 * One keystroke as the editor sees it, for the benches that type a file:
 * typing text[i] changes the document at i and moves the cursor to i + 1;
 * the model state catches up (timed). Returns the state update's ms.
 */
export function typeKeystroke(service: CompletionService, docId: string, version: number, text: string, i: number): number {
  const t = performance.now();
  service.edit(docId, version, i);
  service.states.stateAt(docId, version, text, i + 1);
  return performance.now() - t;
}

/**
 * The completion request the editor makes at `offset` after a keystroke
 * (none where the rest of the line forbids one), timed: the answer cache
 * first (a typed-through answer cut short searched again, as the provider
 * does: CompletionService.complete and grow), else a search; with
 * `noCache` the document's cached answers are dropped first, so every
 * request searches. Null when no request is made.
 */
export async function requestAfterKeystroke(
  service: CompletionService,
  docId: string,
  version: number,
  text: string,
  offset: number,
  settings: SearchSettings,
  noCache = false,
): Promise<{ ms: number; served: ServedCompletion | undefined } | null> {
  const view = typingViewAt(text, offset);
  if (!lineSuffixAllowsCompletion(lineSuffixAt(view, offset))) return null;
  const request = { docId, version, text: view, offset };
  // complete() looks in the cache itself; dropping the document's entries is what keeps a request from it.
  if (noCache) service.cache.delete(docId);
  const t = performance.now();
  const served = await service.complete(request, settings, () => false);
  return { ms: performance.now() - t, served };
}
