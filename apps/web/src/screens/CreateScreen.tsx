import { useQueryClient } from '@tanstack/react-query';
import { useId, useRef, useState, type FormEvent } from 'react';
import { limits } from '@expectations/router/shared';
import { describeApiError } from '../api/errors';
import { trpc } from '../api/trpc';
import type { Expectation, ExpectationCreateInput, PublicProfile } from '../api/types';
import { applyToFeeds, insertIntoFeeds, replaceInFeeds } from '../expectations/cache';
import { feedsKey } from '../expectations/feedQuery';
import { discardUnsavedDraft, keepUnsavedDraft, unsavedDraftOf } from '../expectations/unsavedDraft';
import { validateDraft, type ExpectationDraft } from '../expectations/validation';
import { useIdentity } from '../identity';
import { useNotify } from '../notices/NoticeProvider';
import { AssigneePicker } from '../people/AssigneePicker';
import { Link, navigate, paths } from '../router';
import { PageHeading } from '../ui/PageHeading';
import { useViewer } from '../viewer/ViewerContext';

type Field = keyof ExpectationDraft;
const fieldOrder: Field[] = ['title', 'details', 'dueOn'];

let nextPendingId = -1;

export default function CreateScreen() {
  const viewer = useViewer();
  const identity = useIdentity();
  const queryClient = useQueryClient();
  const notify = useNotify();
  const ids = { title: useId(), details: useId(), assignee: useId(), dueOn: useId() };
  const refs = { title: useRef<HTMLInputElement>(null), details: useRef<HTMLTextAreaElement>(null), dueOn: useRef<HTMLInputElement>(null) };

  // A save that failed comes back here with everything that was typed.
  const [restored] = useState(() => unsavedDraftOf(viewer.userId));
  const [draft, setDraft] = useState<ExpectationDraft>(restored?.draft ?? { title: '', details: '', dueOn: '' });
  const [assignee, setAssignee] = useState<PublicProfile | null>(restored?.assignee ?? null);
  const [touched, setTouched] = useState<Partial<Record<Field, boolean>>>({});
  const [submitted, setSubmitted] = useState(false);
  const errors = validateDraft(draft);
  const shownError = (field: Field) => ((touched[field] || submitted) && errors[field]) || undefined;

  const create = trpc.expectations.create.useMutation({
    // The new expectation shows at the top of the feed at once; the API's answer replaces it.
    async onMutate(input) {
      await queryClient.cancelQueries({ queryKey: feedsKey });
      const now = new Date().toISOString();
      const pending: Expectation = {
        id: nextPendingId--,
        title: input.title,
        details: input.details ?? '',
        status: 'open',
        dueOn: input.dueOn ?? null,
        createdAt: now,
        updatedAt: now,
        author: { id: viewer.userId, displayName: identity.user?.displayName ?? 'You', imageUrl: identity.user?.imageUrl ?? null, deleted: false },
        assignee,
      };
      insertIntoFeeds(queryClient, pending);
      return { pendingId: pending.id, draft, assignee };
    },
    onSuccess(created, _input, context) {
      if (!context) return;
      // The live feed may have shown it already: one card, not two.
      replaceInFeeds(queryClient, context.pendingId, null);
      applyToFeeds(queryClient, created);
    },
    onError(error, input, context) {
      const reason = describeApiError(error);
      if (context) {
        replaceInFeeds(queryClient, context.pendingId, null);
        keepUnsavedDraft({ ownerId: viewer.userId, draft: context.draft, assignee: context.assignee, reason });
      }
      notify({
        tone: 'error',
        message: `“${input.title}” was not saved. ${reason}`,
        action: context ? { label: 'Back to the form', to: paths.create() } : undefined,
      });
    },
    onSettled() {
      void queryClient.invalidateQueries({ queryKey: feedsKey });
    },
  });

  function update(field: Field, value: string) {
    setDraft((current) => ({ ...current, [field]: value }));
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    setSubmitted(true);
    const firstInvalid = fieldOrder.find((field) => errors[field]);
    if (firstInvalid) {
      refs[firstInvalid].current?.focus();
      return;
    }
    const input: ExpectationCreateInput = { title: draft.title.trim() };
    const details = draft.details.trim();
    if (details) input.details = details;
    if (assignee) input.assigneeId = assignee.id;
    if (draft.dueOn) input.dueOn = draft.dueOn;
    discardUnsavedDraft();
    create.mutate(input);
    navigate(paths.feed());
  }

  const describe = (field: Field, hintId?: string) => [hintId, shownError(field) ? `${ids[field]}-error` : undefined].filter(Boolean).join(' ') || undefined;
  const errorText = (field: Field) => {
    const message = shownError(field);
    return message ? (
      <p id={`${ids[field]}-error`} className="field-error">
        {message}
      </p>
    ) : null;
  };
  const titleLength = draft.title.trim().length;

  return (
    <section className="page page--narrow" aria-labelledby="create-title">
      <p className="back-link">
        <Link to={paths.feed()}>
          <span aria-hidden="true">← </span>All expectations
        </Link>
      </p>
      <PageHeading id="create-title">New expectation</PageHeading>
      {restored ? (
        <p className="notice notice--error" role="alert">
          This wasn’t saved: {restored.reason} Everything you typed is still here; save it again when you’re ready.
        </p>
      ) : null}
      <form className="form" noValidate onSubmit={submit}>
        <div className="field">
          <label htmlFor={ids.title}>Title</label>
          <input
            ref={refs.title}
            id={ids.title}
            type="text"
            required
            autoComplete="off"
            value={draft.title}
            aria-invalid={Boolean(shownError('title'))}
            aria-describedby={describe('title', `${ids.title}-hint`)}
            onChange={(event) => update('title', event.target.value)}
            onBlur={() => setTouched((current) => ({ ...current, title: true }))}
          />
          <p id={`${ids.title}-hint`} className={titleLength > limits.titleMaxLength ? 'hint hint--over' : 'hint'}>
            What is expected, in a sentence. {titleLength}/{limits.titleMaxLength} characters.
          </p>
          {errorText('title')}
        </div>

        <div className="field">
          <label htmlFor={ids.details}>
            Details <span className="optional">(optional)</span>
          </label>
          <textarea
            ref={refs.details}
            id={ids.details}
            rows={5}
            value={draft.details}
            aria-invalid={Boolean(shownError('details'))}
            aria-describedby={describe('details', `${ids.details}-hint`)}
            onChange={(event) => update('details', event.target.value)}
            onBlur={() => setTouched((current) => ({ ...current, details: true }))}
          />
          <p id={`${ids.details}-hint`} className="hint">
            Up to {new Intl.NumberFormat('en').format(limits.detailsMaxLength)} characters.
          </p>
          {errorText('details')}
        </div>

        <div className="field">
          <label htmlFor={ids.assignee}>
            Expected of <span className="optional">(optional)</span>
          </label>
          <AssigneePicker id={ids.assignee} value={assignee} onChange={setAssignee} describedBy={`${ids.assignee}-hint`} />
          <p id={`${ids.assignee}-hint`} className="hint">
            Leave empty when you expect it of yourself.
          </p>
        </div>

        <div className="field">
          <label htmlFor={ids.dueOn}>
            Due date <span className="optional">(optional)</span>
          </label>
          <input
            ref={refs.dueOn}
            id={ids.dueOn}
            type="date"
            value={draft.dueOn}
            aria-invalid={Boolean(shownError('dueOn'))}
            aria-describedby={describe('dueOn')}
            onChange={(event) => update('dueOn', event.target.value)}
            onBlur={() => setTouched((current) => ({ ...current, dueOn: true }))}
          />
          {errorText('dueOn')}
        </div>

        <div className="button-row">
          <button type="submit" className="button button--primary">
            Save expectation
          </button>
          <Link className="button button--quiet" to={paths.feed()}>
            Cancel
          </Link>
        </div>
      </form>
    </section>
  );
}
