import { useEffect, useRef } from 'react';
import { describeApiError, isTransient } from '../api/errors';
import { ExpectationCard, ExpectationCardSkeleton } from '../expectations/ExpectationCard';
import { FeedFilterBar } from '../expectations/FeedFilterBar';
import { feedInputFor, feedSearch, parseFeedFilters, type FeedFilters } from '../expectations/feedFilters';
import { useFeedQuery } from '../expectations/feedQuery';
import { Link, paths, useLocation } from '../router';
import { useIdentity } from '../identity';
import { LiveFeedIndicator } from '../live/LiveFeedIndicator';
import { ErrorState } from '../ui/ErrorState';
import { PageHeading } from '../ui/PageHeading';
import { useViewer } from '../viewer/ViewerContext';

function Skeletons({ count }: { count: number }) {
  return (
    <>
      {Array.from({ length: count }, (_, index) => (
        <li key={index}>
          <ExpectationCardSkeleton />
        </li>
      ))}
    </>
  );
}

function EmptyFeed({ filters }: { filters: FeedFilters }) {
  const filtered = filters.scope !== 'all' || filters.status !== null;
  return (
    <div className="empty-state">
      {filtered ? (
        <>
          <p className="empty-state__title">Nothing matches these filters.</p>
          <Link className="button" to={paths.feed(feedSearch({ scope: 'all', status: null }))}>
            Show all expectations
          </Link>
        </>
      ) : (
        <>
          <p className="empty-state__title">No expectations yet.</p>
          <p className="muted">Write down the first thing someone on your team has committed to.</p>
          <Link className="button button--primary" to={paths.create()}>
            New expectation
          </Link>
        </>
      )}
    </div>
  );
}

/** With no team active, the feed is the person's own: say so, and offer the way into a team. */
function PersonalScopeNotice({ onCreateTeam }: { onCreateTeam: () => void }) {
  return (
    <aside className="callout" aria-labelledby="personal-scope-title">
      <p id="personal-scope-title" className="callout__title">
        Your personal expectations
      </p>
      <p className="muted">
        Only you and the people you assign them to can see these. Expectations belong to a team when one is active: create a
        team and invite your teammates, or pick a team you were invited to from the team menu at the top.
      </p>
      <button type="button" className="button button--primary" onClick={onCreateTeam}>
        Create a team
      </button>
    </aside>
  );
}

/** Loads the next page when the end of the list scrolls into view; the button does the same by hand. */
function useLoadMoreWhenVisible(load: () => void, enabled: boolean) {
  const sentinel = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = sentinel.current;
    if (!enabled || !element || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) load();
    }, { rootMargin: '400px 0px' });
    observer.observe(element);
    return () => observer.disconnect();
  }, [load, enabled]);
  return sentinel;
}

export default function FeedScreen() {
  const { searchParams } = useLocation();
  const filters = parseFeedFilters(searchParams);
  const viewer = useViewer();
  const { activeTeam, createTeam } = useIdentity();
  const list = useFeedQuery(feedInputFor(filters, viewer.userId));
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = list;
  const canLoadMore = hasNextPage && !isFetchingNextPage && !list.isFetchNextPageError;
  const sentinel = useLoadMoreWhenVisible(() => void fetchNextPage(), canLoadMore);
  const items = list.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <section className="page" aria-labelledby="feed-title">
      <header className="page__header">
        <PageHeading id="feed-title">Expectations</PageHeading>
        {/* Quiet: the cards shown stay put while the latest are fetched (last visit's, on opening the app). */}
        <p className="feed__refreshing muted" role="status">
          {list.isRefetching && items.length > 0 ? 'Refreshing…' : ''}
        </p>
        <LiveFeedIndicator />
        <Link className="button button--primary" to={paths.create()}>
          New expectation
        </Link>
      </header>
      {activeTeam ? null : <PersonalScopeNotice onCreateTeam={createTeam} />}
      <FeedFilterBar filters={filters} />

      {list.isPending ? (
        <>
          <p className="visually-hidden" role="status">
            Loading expectations…
          </p>
          <ol className="feed" aria-hidden="true">
            <Skeletons count={4} />
          </ol>
        </>
      ) : list.isError && items.length === 0 ? (
        <ErrorState title="We couldn’t load the expectations." message={describeApiError(list.error)} onRetry={() => void list.refetch()} retrying={isTransient(list.error)} />
      ) : items.length === 0 ? (
        <EmptyFeed filters={filters} />
      ) : (
        <>
          <ol className="feed" aria-label="Expectations, newest first">
            {items.map((expectation) => (
              <li key={expectation.id}>
                <ExpectationCard expectation={expectation} />
              </li>
            ))}
            {isFetchingNextPage ? <Skeletons count={2} /> : null}
          </ol>
          <div ref={sentinel} className="feed__end">
            {list.isFetchNextPageError ? (
              <ErrorState title="We couldn’t load more." message={describeApiError(list.error)} onRetry={() => void fetchNextPage()} />
            ) : hasNextPage ? (
              <button type="button" className="button" onClick={() => void fetchNextPage()} disabled={isFetchingNextPage}>
                {isFetchingNextPage ? 'Loading…' : 'Load more'}
              </button>
            ) : (
              <p className="muted">That’s everything.</p>
            )}
          </div>
        </>
      )}
    </section>
  );
}
