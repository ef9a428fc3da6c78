import type { PublicProfile } from '../api/types';
import type { ExpectationDraft } from './validation';

/** A form whose save failed: what the person typed, and why it was not saved. */
export interface UnsavedDraft {
  /** Whose it is: nobody else signing in on this page sees it. */
  ownerId: number;
  draft: ExpectationDraft;
  assignee: PublicProfile | null;
  reason: string;
}

/**
 * The create form leaves for the feed before the API answers (the feed shows the new expectation
 * at once). When the save fails, what was typed waits here, in memory only, until the form is
 * opened again to retry it.
 */
let unsaved: UnsavedDraft | null = null;

export function keepUnsavedDraft(value: UnsavedDraft): void {
  unsaved = value;
}

export function unsavedDraftOf(ownerId: number): UnsavedDraft | null {
  return unsaved?.ownerId === ownerId ? unsaved : null;
}

export function discardUnsavedDraft(): void {
  unsaved = null;
}
