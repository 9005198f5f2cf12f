import { CompletionService } from '../completion/completionService';
import { lineSuffixAllowsCompletion } from '../completion/lineSuffix';
import { SearchSettings } from '../completion/settings';
import { lineSuffixAt } from '../completion/textSource';
import { typingViewAt } from '../completion/typingView';
import { WorkspaceNameIndex } from '../completion/wordMemory';
import { WorkspaceMatchIndex } from '../completion/workspaceMatch';
import { StepModel } from '../stepModel';

/** Counts from replaying the typing of one or more files. */
export interface KeystrokeCounts {
  /** Characters of the files: what typing them without help costs, in keystrokes. */
  chars: number;
  /** Completion requests: places where the editor would ask (the rest of the line is empty or closers). */
  requests: number;
  /** Requests that showed a completion. */
  shown: number;
  /** Completions accepted: non-empty prefixes of what the file goes on with. */
  accepted: number;
  /** Characters those completions inserted. */
  acceptedChars: number;
  /** Characters typed by hand. */
  typedChars: number;
}

export function emptyKeystrokeCounts(): KeystrokeCounts {
  return { chars: 0, requests: 0, shown: 0, accepted: 0, acceptedChars: 0, typedChars: 0 };
}

export function addKeystrokeCounts(into: KeystrokeCounts, c: KeystrokeCounts): void {
  into.chars += c.chars;
  into.requests += c.requests;
  into.shown += c.shown;
  into.accepted += c.accepted;
  into.acceptedChars += c.acceptedChars;
  into.typedChars += c.typedChars;
}

/**
 * keystrokesSaved = (characters accepted − accept keystrokes) / characters
 * typed without help, each accept costing one keystroke (Tab);
 * acceptRate = accepted / shown.
 */
export function keystrokeFigures(c: KeystrokeCounts): { keystrokesSaved: number; acceptRate: number } {
  return {
    keystrokesSaved: c.chars > 0 ? (c.acceptedChars - c.accepted) / c.chars : 0,
    acceptRate: c.shown > 0 ? c.accepted / c.shown : 0,
  };
}

/** Told what has been typed after each keystroke or accept (dynamic evaluation learns from it). */
export interface TypingLearner {
  typed(docId: string, text: { slice(start: number, end: number): string }, cursor: number): void;
}

/**
 * Replays a programmer typing `text` front to back in an editor with
 * auto-closing brackets, on the completion code path the extension uses
 * (CompletionService: per-document states, cache, completeAt with the
 * editor's stop rules). Wherever the editor would ask for a completion, it
 * asks; when the suggestion is a non-empty prefix of what the file goes on
 * with, it is accepted with one keystroke and the cursor jumps past it;
 * otherwise the next character is typed. Debouncing is left out: every
 * keystroke that allows a request makes one, as if the typist paused.
 * A `learner` (dynamic evaluation) hears of the text before the cursor
 * after every keystroke or accept; it may change the model's weights.
 */
export async function replayTyping(
  model: StepModel,
  text: string,
  settings: SearchSettings,
  isCancelled: () => boolean = () => false,
  learner?: TypingLearner,
  /** The names of the other files of the project (settings.workspaceNames decides whether they are offered). */
  workspaceNames?: WorkspaceNameIndex,
  /** The text of the other files of the project (settings.workspaceMatch decides whether the document cache reads it). */
  workspaceMatches?: WorkspaceMatchIndex,
): Promise<KeystrokeCounts> {
  const service = new CompletionService(model);
  service.workspaceNames = () => workspaceNames;
  service.workspaceMatches = () => workspaceMatches;
  const docId = 'replay';
  const counts = emptyKeystrokeCounts();
  counts.chars = text.length;
  let version = 1;
  let offset = 0;
  learner?.typed(docId, text, 0);
  while (offset < text.length) {
    if (isCancelled()) throw new Error('cancelled');
    const view = typingViewAt(text, offset);
    let jump = 0;
    if (lineSuffixAllowsCompletion(lineSuffixAt(view, offset))) {
      counts.requests++;
      const request = { docId, version, text: view, offset };
      const served = await service.complete(request, settings, isCancelled);
      const suggestion = served?.completion.text ?? '';
      if (suggestion.length > 0) {
        counts.shown++;
        if (text.startsWith(suggestion, offset)) jump = suggestion.length;
      }
    }
    if (jump > 0) {
      counts.accepted++;
      counts.acceptedChars += jump;
    } else {
      jump = 1;
      counts.typedChars++;
    }
    // The accepted text or the typed character is an edit at `offset`.
    version++;
    service.edit(docId, version, offset);
    offset += jump;
    learner?.typed(docId, text, offset);
  }
  return counts;
}
