import * as fs from 'fs';
import * as vscode from 'vscode';
import { conditionalExcludeTest } from '../../core/workspaceTraining/conditionalExclude';
import { editorExcludeGlob } from '../../core/workspaceTraining/excludeGlob';
import { ListedFolder } from '../../core/workspaceTraining/workspaceCorpus';

/** More files than this in one folder are not listed (the size cap would cut far earlier anyway). */
export const MAX_LISTED_FILES = 100_000;

/**
 * Every file the editor shows in each workspace folder (multi-root: one
 * entry per folder), with files.exclude and search.exclude applied as that
 * folder's settings say, conditional entries too (`"**\/*.js": { "when":
 * "$(basename).ts" }` leaves out a .js file beside its .ts). Only
 * file-system folders count; remote or virtual ones are reported and left
 * out.
 */
export async function listWorkspaceFiles(log: vscode.LogOutputChannel, token?: vscode.CancellationToken): Promise<ListedFolder[]> {
  const listed: ListedFolder[] = [];
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    if (folder.uri.scheme !== 'file') {
      log.warn(`training: skipping workspace folder ${folder.name} (${folder.uri.scheme}: folders are not read)`);
      continue;
    }
    const filesExclude = vscode.workspace.getConfiguration('files', folder.uri).get<Record<string, unknown>>('exclude');
    const searchExclude = vscode.workspace.getConfiguration('search', folder.uri).get<Record<string, unknown>>('exclude');
    const exclude = editorExcludeGlob(filesExclude, searchExclude);
    const uris = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, '**/*'), exclude.glob ? new vscode.RelativePattern(folder, exclude.glob) : null, MAX_LISTED_FILES, token);
    if (uris.length >= MAX_LISTED_FILES) log.warn(`training: ${folder.name} has more than ${MAX_LISTED_FILES} files; only the first ${MAX_LISTED_FILES} listed were considered`);
    log.info(`training: ${folder.name}: ${uris.length} files listed (excluding ${exclude.patterns.length} files.exclude/search.exclude patterns)`);
    const excludedBySibling = conditionalExcludeTest(exclude.conditional, (p) => fs.existsSync(p));
    const files = uris.filter((u) => u.scheme === 'file').map((u) => u.fsPath);
    const kept = files.filter((f) => !excludedBySibling(folder.uri.fsPath, f));
    if (kept.length < files.length) log.info(`training: ${folder.name}: ${files.length - kept.length} files left out by conditional excludes (${exclude.conditional.map((c) => `${c.pattern} when ${c.when}`).join(', ')})`);
    listed.push({ name: folder.name, root: folder.uri.fsPath, files: kept });
  }
  return listed;
}
