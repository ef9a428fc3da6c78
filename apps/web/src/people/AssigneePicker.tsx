import { keepPreviousData } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { limits } from '@expectations/router/shared';
import { trpc } from '../api/trpc';
import type { PublicProfile } from '../api/types';
import { useDebouncedValue } from '../ui/useDebouncedValue';
import { Person } from './Person';

export interface AssigneePickerProps {
  id: string;
  value: PublicProfile | null;
  onChange(value: PublicProfile | null): void;
  describedBy?: string;
}

export const SEARCH_DEBOUNCE_MS = 250;

/**
 * A combobox (WAI-ARIA pattern, list autocomplete) searching the team with `users.list`.
 * Arrow keys move through the results, Enter picks, Escape closes.
 *
 * While a search is under way the previous results stay on screen, so the list does not flicker,
 * but they are shown as stale and cannot be picked: Enter and click only ever pick from results
 * of the text as it stands. Enter pressed before those arrive waits for them.
 */
export function AssigneePicker({ id, value, onChange, describedBy }: AssigneePickerProps) {
  const [text, setText] = useState('');
  const [open, setOpen] = useState(false);
  const [highlight, setHighlight] = useState<{ query: string; index: number }>({ query: '', index: 0 });
  /** The text for which Enter was pressed before its results arrived. */
  const [pendingPick, setPendingPick] = useState<string | null>(null);
  const listboxId = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const changeRef = useRef<HTMLButtonElement>(null);
  const focusAfterChange = useRef<'input' | 'change' | null>(null);
  const searchText = text.trim();
  const query = useDebouncedValue(searchText, SEARCH_DEBOUNCE_MS);

  const results = trpc.users.list.useQuery(query ? { query, limit: 8 } : { limit: 8 }, {
    enabled: open,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
  const options = (results.data?.items ?? []).filter((person) => !person.deleted);
  // The results on screen answer the text as typed now (not an earlier search kept as placeholder).
  const current = open && query === searchText && results.data !== undefined && !results.isPlaceholderData;
  const searching = open && (!current || results.isFetching);
  // A highlight belongs to the results it was moved in; new results start at the first.
  const activeIndex = current && highlight.query === query ? Math.min(highlight.index, Math.max(options.length - 1, 0)) : 0;
  const activeOption = current ? options[activeIndex] : undefined;

  useEffect(() => {
    if (focusAfterChange.current === 'input') inputRef.current?.focus();
    if (focusAfterChange.current === 'change') changeRef.current?.focus();
    focusAfterChange.current = null;
  }, [value]);

  function close() {
    setOpen(false);
    setPendingPick(null);
  }

  function choose(person: PublicProfile) {
    focusAfterChange.current = 'change';
    onChange(person);
    close();
    setText('');
  }

  // Enter was pressed while searching: pick once the results for that text are in.
  useEffect(() => {
    if (pendingPick === null || !current || pendingPick !== searchText) return;
    setPendingPick(null);
    if (activeOption) choose(activeOption);
  });

  function moveHighlight(step: 1 | -1) {
    if (!current) return;
    setHighlight({ query, index: Math.min(Math.max(activeIndex + step, 0), Math.max(options.length - 1, 0)) });
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    switch (event.key) {
      case 'ArrowDown':
        event.preventDefault();
        if (!open) setOpen(true);
        else moveHighlight(1);
        break;
      case 'ArrowUp':
        event.preventDefault();
        moveHighlight(-1);
        break;
      case 'Enter':
        if (!open) break;
        if (!current) {
          // Not the form's submit: the person meant is among results still on their way.
          event.preventDefault();
          setPendingPick(searchText);
        } else if (activeOption) {
          event.preventDefault();
          choose(activeOption);
        }
        break;
      case 'Escape':
        if (open) {
          event.preventDefault();
          close();
        }
        break;
    }
  }

  if (value) {
    return (
      <div className="picker-value">
        <Person profile={value} size="md" />
        <button
          ref={changeRef}
          type="button"
          className="button button--small"
          aria-describedby={describedBy}
          onClick={() => {
            focusAfterChange.current = 'input';
            onChange(null);
          }}
        >
          <span aria-hidden="true">Change</span>
          <span className="visually-hidden">Change who this is expected of</span>
        </button>
        {/* Keeps the label's target in the page while a person is chosen. */}
        <input type="hidden" id={id} value={value.id} />
      </div>
    );
  }

  return (
    <div className="picker">
      <input
        ref={inputRef}
        id={id}
        type="text"
        role="combobox"
        autoComplete="off"
        spellCheck={false}
        placeholder="Search by name"
        maxLength={limits.searchMaxLength}
        aria-autocomplete="list"
        aria-expanded={open}
        aria-controls={listboxId}
        aria-activedescendant={activeOption ? `${listboxId}-${activeOption.id}` : undefined}
        aria-describedby={describedBy}
        value={text}
        onChange={(event) => {
          setText(event.target.value);
          setPendingPick(null);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        onBlur={close}
        onKeyDown={onKeyDown}
      />
      <ul
        id={listboxId}
        role="listbox"
        aria-label="People"
        aria-busy={searching}
        className={current ? 'picker__options' : 'picker__options picker__options--stale'}
        hidden={!open}
      >
        {options.map((person, index) => (
          <li
            key={person.id}
            id={`${listboxId}-${person.id}`}
            role="option"
            aria-selected={current && index === activeIndex}
            aria-disabled={!current}
            className={current && index === activeIndex ? 'picker__option picker__option--active' : 'picker__option'}
            // Keep focus in the input so the blur does not close the list before the click lands.
            onMouseDown={(event) => event.preventDefault()}
            onClick={() => {
              if (current) choose(person);
            }}
          >
            <Person profile={person} />
          </li>
        ))}
      </ul>
      <p className="visually-hidden" role="status">
        {!open ? '' : !current ? 'Searching…' : options.length === 0 ? 'No one found.' : `${options.length} people found.`}
      </p>
      {current && options.length === 0 ? <p className="picker__empty muted">{text.trim() ? `No one matches “${text.trim()}”.` : 'No one to pick yet.'}</p> : null}
    </div>
  );
}
