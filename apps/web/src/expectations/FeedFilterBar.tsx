import { expectationStatuses } from '@expectations/router/shared';
import { Link, paths } from '../router';
import { statusLabels } from '../ui/StatusBadge';
import { feedSearch, type FeedFilters, type FeedScope } from './feedFilters';

const scopeLabels: Record<FeedScope, string> = { all: 'All', mine: 'Mine', assigned: 'Assigned to me' };

/** Filters are links: each is a URL, so they can be shared, bookmarked and undone with Back. */
export function FeedFilterBar({ filters }: { filters: FeedFilters }) {
  return (
    <div className="filters">
      <div className="filter-group" role="group" aria-label="Whose expectations">
        {(Object.keys(scopeLabels) as FeedScope[]).map((scope) => (
          <Link
            key={scope}
            className="chip"
            to={paths.feed(feedSearch({ ...filters, scope }))}
            aria-current={filters.scope === scope ? 'true' : undefined}
          >
            {scopeLabels[scope]}
          </Link>
        ))}
      </div>
      <div className="filter-group" role="group" aria-label="Status">
        <Link className="chip" to={paths.feed(feedSearch({ ...filters, status: null }))} aria-current={filters.status === null ? 'true' : undefined}>
          Any status
        </Link>
        {expectationStatuses.map((status) => (
          <Link
            key={status}
            className="chip"
            to={paths.feed(feedSearch({ ...filters, status }))}
            aria-current={filters.status === status ? 'true' : undefined}
          >
            {statusLabels[status]}
          </Link>
        ))}
      </div>
    </div>
  );
}
