// Semantic highlighting of what makes a scenario a scenario: RMI commands (the FIDs), RMI
// statuses and granule states, rmi_* calls (rmi_call and the host's wrappers) and the run's
// intrinsics (expect, fault_inject, WARN_ON ...). Identifiers are classified by name, which
// needs only a lexer (comments and literals skipped), never a parse: it stays right while the
// text does not compile, and costs a fraction of a millisecond per thousand lines.
import * as vscode from 'vscode';
import { NATIVE_NAMES } from '../../run';
import { Fid } from '../../rmm';
import { LANGUAGE_ID } from '../live';

export const TOKEN_TYPES = ['rmiCommand', 'rmiConstant', 'rmiFunction', 'intrinsic'] as const;
export const TOKEN_MODIFIERS = ['defaultLibrary'] as const;
export const LEGEND = new vscode.SemanticTokensLegend([...TOKEN_TYPES], [...TOKEN_MODIFIERS]);

/** Intrinsics that are not C library names (memset, kmalloc ... are left to the grammar). */
const INTRINSICS = new Set([...NATIVE_NAMES.filter((n) => /^(expect|fault_inject|WARN_ON|BUG_ON|printk)/.test(n)), 'BUG', 'pr_info', 'pr_warn', 'pr_err', 'pr_debug']);

/** The token type of an identifier, or undefined for an ordinary one. */
export function classify(word: string): (typeof TOKEN_TYPES)[number] | undefined {
  if (word.startsWith('RMI_')) return word in Fid || word === 'RMI_RTT_DATA_MAP_INIT' ? 'rmiCommand' : 'rmiConstant';
  if (word.startsWith('rmi_') && word !== 'rmi_last') return 'rmiFunction';
  if (INTRINSICS.has(word)) return 'intrinsic';
  return undefined;
}

/** Identifiers outside comments, strings and character literals, with their offsets. */
export function* identifiers(text: string): Generator<{ offset: number; word: string }> {
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 47 /* / */ && text[i + 1] === '/') {
      while (i < n && text[i] !== '\n') i++;
    } else if (c === 47 && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? n : end + 2;
    } else if (c === 34 /* " */ || c === 39 /* ' */) {
      const q = text[i++];
      while (i < n && text[i] !== q && text[i] !== '\n') i += text[i] === '\\' ? 2 : 1;
      i++;
    } else if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95) {
      const start = i;
      while (i < n && /[A-Za-z0-9_]/.test(text[i])) i++;
      yield { offset: start, word: text.slice(start, i) };
    } else if (c >= 48 && c <= 57) {
      while (i < n && /[A-Za-z0-9_.]/.test(text[i])) i++; // a number such as 0x80000000UL
    } else {
      i++;
    }
  }
}

export const semanticTokensProvider: vscode.DocumentSemanticTokensProvider = {
  provideDocumentSemanticTokens(doc, token) {
    const builder = new vscode.SemanticTokensBuilder(LEGEND);
    let k = 0;
    for (const { offset, word } of identifiers(doc.getText())) {
      if ((++k & 4095) === 0 && token.isCancellationRequested) break;
      const type = classify(word);
      if (!type) continue;
      const pos = doc.positionAt(offset);
      builder.push(pos.line, pos.character, word.length, TOKEN_TYPES.indexOf(type), 1);
    }
    return builder.build();
  },
};

export function registerSemanticTokens(): vscode.Disposable {
  // Scenarios, and the host code copied into a workspace (realm-lab-host/), not every C file.
  const selector: vscode.DocumentSelector = [{ language: LANGUAGE_ID }, { language: 'c', pattern: '**/realm-lab-host/**' }];
  return vscode.languages.registerDocumentSemanticTokensProvider(selector, semanticTokensProvider, LEGEND);
}
