// How a step card opens the changes screen on its run: the window provides the opener; a
// console without one (a test, a bare page) shows no link.
import { createContext, useContext } from "react";

/** Opens the changes screen on a run. */
export type OpenChanges = (runId: string) => void;

export const OpenChangesContext = createContext<OpenChanges | undefined>(undefined);

/** The window's opener, if any. */
export function useOpenChanges(): OpenChanges | undefined {
  return useContext(OpenChangesContext);
}

/** Tools whose calls change files (their steps link to the changes screen). */
export const CHANGING_TOOLS: ReadonlySet<string> = new Set([
  "fs_write",
  "fs_delete",
  "fs_copy",
  "fs_move",
  "fs_mkdir",
  "fs_merge",
  "fs_rename_symbol",
]);
