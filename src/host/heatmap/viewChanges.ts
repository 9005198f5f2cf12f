import { MAX_TRACKS, TrackSpec, ViewState, WebviewMessage, sameTrack } from './protocol';

/**
 * The host's view state after a webview intent: the only place the panel's
 * tracks and search inputs change at the webview's request (the host's own
 * changes, Find Cells for Selection and the default tracks, set the state
 * directly). Messages that change nothing return the same state. No vscode
 * import: tested in Node.
 */
export function applyIntent(view: ViewState, msg: WebviewMessage): ViewState {
  switch (msg.type) {
    case 'addTracks': {
      // As primary the added tracks lead (one already shown moves up); otherwise new ones go last and shown ones stay put.
      return { ...view, tracks: capped(msg.primary ? [...msg.tracks, ...view.tracks] : [...view.tracks, ...msg.tracks]) };
    }
    case 'removeTrack':
      return { ...view, tracks: view.tracks.filter((t) => !sameTrack(t, msg.track)) };
    case 'searchOptions':
    case 'hypothesis':
      return { ...view, threshold: msg.threshold, offAround: msg.offAround, scope: msg.scope };
    default:
      return view;
  }
}

/** Duplicates dropped (the first stays), at most MAX_TRACKS: with too many, the ones added last are dropped. */
function capped(tracks: TrackSpec[]): TrackSpec[] {
  const out: TrackSpec[] = [];
  for (const t of tracks) if (!out.some((o) => sameTrack(o, t))) out.push(t);
  return out.slice(0, MAX_TRACKS);
}
