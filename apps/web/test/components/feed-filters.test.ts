import { expect, it } from 'vitest';
import { feedInputFor, feedSearch, listIncludes, parseFeedFilters, type FeedFilters } from '../../src/expectations/feedFilters';
import { isIsoDate, isOverdue } from '../../src/ui/dates';
import { validateDraft } from '../../src/expectations/validation';

it('round-trips every filter combination through the query string', () => {
  for (const scope of ['all', 'mine', 'assigned'] as const) {
    for (const status of [null, 'open', 'met', 'missed', 'withdrawn'] as const) {
      const filters: FeedFilters = { scope, status };
      expect(parseFeedFilters(new URLSearchParams(feedSearch(filters)))).toEqual(filters);
    }
  }
  expect(feedSearch({ scope: 'all', status: null })).toBe('');
});

it('treats unknown filter values in a hand-edited URL as no filter', () => {
  expect(parseFeedFilters(new URLSearchParams('?show=everyone&status=done'))).toEqual({ scope: 'all', status: null });
});

it('turns filters into the list input and knows which feeds a new expectation belongs in', () => {
  const input = feedInputFor({ scope: 'assigned', status: 'open' }, 7);
  expect(input).toEqual({ limit: 20, assigneeId: 7, status: 'open' });
  const person = (id: number) => ({ id, displayName: `P${id}`, imageUrl: null, deleted: false });
  const base = { id: 1, title: 't', details: '', dueOn: null, createdAt: '', updatedAt: '', author: person(3) };
  expect(listIncludes(input, { ...base, status: 'open', assignee: person(7) })).toBe(true);
  expect(listIncludes(input, { ...base, status: 'open', assignee: null })).toBe(false);
  expect(listIncludes(input, { ...base, status: 'met', assignee: person(7) })).toBe(false);
  expect(listIncludes(feedInputFor({ scope: 'mine', status: null }, 3), { ...base, status: 'open', assignee: null })).toBe(true);
});

it('calls an expectation overdue only while it is open and past its due day', () => {
  expect(isOverdue({ status: 'open', dueOn: '2024-03-01' }, '2024-03-02')).toBe(true);
  expect(isOverdue({ status: 'open', dueOn: '2024-03-02' }, '2024-03-02')).toBe(false);
  expect(isOverdue({ status: 'met', dueOn: '2024-03-01' }, '2024-03-02')).toBe(false);
  expect(isOverdue({ status: 'open', dueOn: null }, '2024-03-02')).toBe(false);
});

it('accepts only real calendar dates', () => {
  expect(isIsoDate('2024-02-29')).toBe(true);
  expect(isIsoDate('2023-02-29')).toBe(false);
  expect(isIsoDate('2024-2-3')).toBe(false);
  expect(validateDraft({ title: 'x', details: '', dueOn: '2023-02-29' }).dueOn).toBeDefined();
  expect(validateDraft({ title: '   ', details: '', dueOn: '' }).title).toBe('Give the expectation a title.');
  expect(validateDraft({ title: 'x', details: '', dueOn: '' })).toEqual({});
});
