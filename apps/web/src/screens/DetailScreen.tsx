import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { apiErrorCode, describeApiError, isTransient } from '../api/errors';
import { trpc } from '../api/trpc';
import type { Expectation, ExpectationStatus } from '../api/types';
import { findInFeeds, replaceInFeeds } from '../expectations/cache';
import { feedsKey } from '../expectations/feedQuery';
import { Person } from '../people/Person';
import { Link, paths } from '../router';
import { formatDateTime } from '../ui/dates';
import { DueDate } from '../ui/DueDate';
import { ErrorState } from '../ui/ErrorState';
import { PageHeading } from '../ui/PageHeading';
import { StatusBadge, statusLabels } from '../ui/StatusBadge';
import { useViewer } from '../viewer/ViewerContext';

const outcomeActions: Array<{ status: ExpectationStatus; label: string }> = [
  { status: 'met', label: 'Mark as met' },
  { status: 'missed', label: 'Mark as missed' },
  { status: 'withdrawn', label: 'Withdraw' },
];

function StatusControls({ expectation }: { expectation: Expectation }) {
  const queryClient = useQueryClient();
  const utils = trpc.useUtils();
  const [announcement, setAnnouncement] = useState('');
  const setStatus = trpc.expectations.setStatus.useMutation({
    onSuccess(updated) {
      utils.expectations.byId.setData({ id: updated.id }, updated);
      replaceInFeeds(queryClient, updated.id, updated);
      setAnnouncement(`Status changed to ${statusLabels[updated.status].toLowerCase()}.`);
    },
    onSettled() {
      // Filtered feeds may gain or lose it: let them ask again.
      void queryClient.invalidateQueries({ queryKey: feedsKey });
    },
  });
  const actions = expectation.status === 'open' ? outcomeActions : [{ status: 'open' as const, label: 'Reopen' }];

  return (
    <section className="status-controls" aria-labelledby="status-controls-title">
      <h2 id="status-controls-title" className="section-title">
        Outcome
      </h2>
      <p className="muted">You wrote this expectation, so you decide how it turned out.</p>
      <div className="button-row">
        {actions.map((action) => (
          <button
            key={action.status}
            type="button"
            className={action.status === 'met' ? 'button button--primary' : 'button'}
            disabled={setStatus.isPending}
            onClick={() => setStatus.mutate({ id: expectation.id, status: action.status })}
          >
            {action.label}
          </button>
        ))}
      </div>
      <p role="status" className="status-controls__announcement">
        {setStatus.isPending ? 'Saving…' : announcement}
      </p>
      {setStatus.isError ? (
        <p role="alert" className="field-error">
          {describeApiError(setStatus.error)}
        </p>
      ) : null}
    </section>
  );
}

export default function DetailScreen({ id }: { id: number }) {
  const queryClient = useQueryClient();
  const viewer = useViewer();
  const query = trpc.expectations.byId.useQuery(
    { id },
    // What the feed already shows appears at once, while the full record loads.
    { placeholderData: () => findInFeeds(queryClient, id) },
  );

  const back = (
    <p className="back-link">
      <Link to={paths.feed()}>
        <span aria-hidden="true">← </span>All expectations
      </Link>
    </p>
  );

  if (query.isPending) {
    return (
      <section className="page page--narrow" aria-busy="true">
        {back}
        <p role="status" className="muted">
          Loading the expectation…
        </p>
        <div className="card card--skeleton" aria-hidden="true">
          <span className="skeleton skeleton--title" />
          <span className="skeleton skeleton--text" />
        </div>
      </section>
    );
  }

  if (query.isError) {
    const notFound = apiErrorCode(query.error) === 'NOT_FOUND';
    return (
      <section className="page page--narrow">
        {back}
        <PageHeading>{notFound ? 'Expectation not found' : 'Something went wrong'}</PageHeading>
        {notFound ? (
          <p>There is no expectation number {id}. It may have been a mistyped link.</p>
        ) : (
          <ErrorState title="We couldn’t load this expectation." message={describeApiError(query.error)} onRetry={() => void query.refetch()} retrying={isTransient(query.error)} />
        )}
      </section>
    );
  }

  const expectation = query.data;
  const isAuthor = expectation.author.id === viewer.userId;

  return (
    <article className="page page--narrow detail" aria-labelledby="detail-title">
      {back}
      <div className="detail__status">
        <StatusBadge status={expectation.status} />
        <DueDate expectation={expectation} />
      </div>
      <PageHeading id="detail-title" className="detail__title">
        {expectation.title}
      </PageHeading>
      <dl className="detail__facts">
        <div>
          <dt>Written by</dt>
          <dd>
            <Person profile={expectation.author} size="md" />
          </dd>
        </div>
        <div>
          <dt>Expected of</dt>
          <dd>{expectation.assignee ? <Person profile={expectation.assignee} size="md" /> : <span className="muted">The author</span>}</dd>
        </div>
        <div>
          <dt>Written</dt>
          <dd>
            <time dateTime={expectation.createdAt}>{formatDateTime(expectation.createdAt)}</time>
          </dd>
        </div>
        {expectation.updatedAt !== expectation.createdAt ? (
          <div>
            <dt>Last changed</dt>
            <dd>
              <time dateTime={expectation.updatedAt}>{formatDateTime(expectation.updatedAt)}</time>
            </dd>
          </div>
        ) : null}
      </dl>
      <section aria-labelledby="details-title">
        <h2 id="details-title" className="section-title">
          Details
        </h2>
        {expectation.details ? <p className="detail__details">{expectation.details}</p> : <p className="muted">No details.</p>}
      </section>
      {isAuthor ? <StatusControls expectation={expectation} /> : null}
    </article>
  );
}
