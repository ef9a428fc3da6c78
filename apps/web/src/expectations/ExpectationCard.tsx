import type { Expectation } from '../api/types';
import { Person } from '../people/Person';
import { Link, paths } from '../router';
import { formatDateTime } from '../ui/dates';
import { DueDate } from '../ui/DueDate';
import { StatusBadge } from '../ui/StatusBadge';
import { isPending } from './cache';

export function ExpectationCard({ expectation }: { expectation: Expectation }) {
  const pending = isPending(expectation);
  return (
    <article className={pending ? 'card card--pending' : 'card'} aria-busy={pending || undefined}>
      <div className="card__people">
        <Person profile={expectation.author} />
        {expectation.assignee ? (
          <>
            <span className="card__arrow">
              <span aria-hidden="true">→</span>
              <span className="visually-hidden">expects of</span>
            </span>
            <Person profile={expectation.assignee} />
          </>
        ) : (
          <span className="muted card__self">of themselves</span>
        )}
        <span className="card__status">
          <StatusBadge status={expectation.status} />
        </span>
      </div>
      <h2 className="card__title">
        {pending ? expectation.title : <Link to={paths.detail(expectation.id)}>{expectation.title}</Link>}
      </h2>
      <p className="card__meta">
        <DueDate expectation={expectation} />
        <span className="muted">
          {pending ? (
            'Saving…'
          ) : (
            <>
              Written <time dateTime={expectation.createdAt}>{formatDateTime(expectation.createdAt)}</time>
            </>
          )}
        </span>
      </p>
    </article>
  );
}

export function ExpectationCardSkeleton() {
  return (
    <div className="card card--skeleton" aria-hidden="true">
      <div className="card__people">
        <span className="skeleton skeleton--avatar" />
        <span className="skeleton skeleton--text" style={{ width: '8rem' }} />
      </div>
      <span className="skeleton skeleton--title" />
      <span className="skeleton skeleton--text" style={{ width: '12rem' }} />
    </div>
  );
}
