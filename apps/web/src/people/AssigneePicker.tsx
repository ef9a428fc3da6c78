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
 */
export function AssigneePicker({ id, value, onChange, describedBy }: AssigneePickerProps) {
  const [text, setText] = useState('');
  const [open, setOpen] = useState(false);
  const [activeIndex, setActiveIndex] = useState(0);
  const listboxId = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const changeRef = useRef<HTMLButtonElement>(null);
  const focusAfterChange = useRef<'input' | 'change' | null>(null);
  const query = useDebouncedValue(text.trim(), SEARCH_DEBOUNCE_MS);

  const results = trpc.users.list.useQuery(query ? { query, limit: 8 } : { limit: 8 }, {
    enabled: open,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
  const options = (results.data?.items ?? []).filter((person) => !person.deleted);
  const searching = open && (results.isFetching || query !== text.trim());

  useEffect(() => {
    setActiveIndex(0);
  }, [query]);

  useEffect(() => {
    if (focusAfterChange.current === 'input') inputRef.current?.focus();
    if (focusAfterChange.current === 'change') changeRef.current?.focus();
    focusAfterChange.current = null;
  }, [value]);

  function choose(person: PublicProfile) {
    focusAfterChange.current = 'change';
    onChange(person);
    setOpen(false);
    setText('');
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    switch (event.key) {
      case 'ArrowDown':
        event.preventDefault();
        if (!open) setOpen(true);
        else setActiveIndex((index) => Math.min(index + 1, Math.max(options.length - 1, 0)));
        break;
      case 'ArrowUp':
        event.preventDefault();
        setActiveIndex((index) => Math.max(index - 1, 0));
        break;
      case 'Enter': {
        const person = options[activeIndex];
        if (open && person) {
          event.preventDefault();
          choose(person);
        }
        break;
      }
      case 'Escape':
        if (open) {
          event.preventDefault();
          setOpen(false);
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

  const activeOption = open ? options[activeIndex] : undefined;
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
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setOpen(false)}
        onKeyDown={onKeyDown}
      />
      <ul id={listboxId} role="listbox" aria-label="People" className="picker__options" hidden={!open}>
        {options.map((person, index) => (
          <li
            key={person.id}
            id={`${listboxId}-${person.id}`}
            role="option"
            aria-selected={index === activeIndex}
            className={index === activeIndex ? 'picker__option picker__option--active' : 'picker__option'}
            // Keep focus in the input so the blur does not close the list before the click lands.
            onMouseDown={(event) => event.preventDefault()}
            onClick={() => choose(person)}
          >
            <Person profile={person} />
          </li>
        ))}
      </ul>
      <p className="visually-hidden" role="status">
        {!open ? '' : searching ? 'Searching…' : options.length === 0 ? 'No one found.' : `${options.length} people found.`}
      </p>
      {open && !searching && options.length === 0 ? <p className="picker__empty muted">{text.trim() ? `No one matches “${text.trim()}”.` : 'No one to pick yet.'}</p> : null}
    </div>
  );
}
