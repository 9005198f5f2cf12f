import { CompletionService, SearchSettings, lineSuffixAllowsCompletion, lineSuffixAt, mayGrow } from '../core/completion';
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
 * first unless `noCache` (a typed-through answer cut short searched again,
 * as the provider does: CompletionService.grow), else a search. Null when
 * no request is made.
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
  const t = performance.now();
  const cached = noCache ? undefined : service.lookup(request, settings);
  const served = cached
    ? mayGrow(cached)
      ? await service.grow(request, settings, cached, () => false)
      : cached
    : await service.complete(request, settings, () => false);
  return { ms: performance.now() - t, served };
}
