import { expectationLimits } from '../api/types';
import { isIsoDate } from '../ui/dates';

export interface ExpectationDraft {
  title: string;
  details: string;
  dueOn: string;
}

export type DraftErrors = Partial<Record<keyof ExpectationDraft, string>>;

const count = new Intl.NumberFormat('en');

/** The API's bounds, said in words before anything is sent. */
export function validateDraft(draft: ExpectationDraft): DraftErrors {
  const errors: DraftErrors = {};
  const title = draft.title.trim();
  if (title.length === 0) errors.title = 'Give the expectation a title.';
  else if (title.length > expectationLimits.titleMax) {
    errors.title = `Keep the title to ${expectationLimits.titleMax} characters or fewer (it has ${count.format(title.length)}).`;
  }
  const details = draft.details.trim();
  if (details.length > expectationLimits.detailsMax) {
    errors.details = `Keep the details to ${count.format(expectationLimits.detailsMax)} characters or fewer (they have ${count.format(details.length)}).`;
  }
  if (draft.dueOn !== '' && !isIsoDate(draft.dueOn)) errors.dueOn = 'Enter a real date, like 2030-01-31.';
  return errors;
}
