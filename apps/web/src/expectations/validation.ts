import { limits } from '@expectations/router/shared';
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
  else if (title.length > limits.titleMaxLength) {
    errors.title = `Keep the title to ${limits.titleMaxLength} characters or fewer (it has ${count.format(title.length)}).`;
  }
  const details = draft.details.trim();
  if (details.length > limits.detailsMaxLength) {
    errors.details = `Keep the details to ${count.format(limits.detailsMaxLength)} characters or fewer (they have ${count.format(details.length)}).`;
  }
  if (draft.dueOn !== '' && !isIsoDate(draft.dueOn)) errors.dueOn = 'Enter a real date, like 2030-01-31.';
  return errors;
}
