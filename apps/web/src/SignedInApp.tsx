import { ApiProvider, type ApiProviderProps } from './api/ApiProvider';
import { useFirstReadsSettled } from './api/useFirstReadsSettled';
import type { CacheOwner } from './api/cacheStorage';
import { feedsKey, PrefetchFeedWithAccount } from './expectations/feedQuery';
import { TeamSwitcher, UserMenu } from './identity';
import { NoticeArea, NoticeProvider } from './notices/NoticeProvider';
import { LiveFeedProvider } from './live/LiveFeed';
import { Routes } from './Routes';
import { Topbar } from './Topbar';
import { AccountGate, accountKey } from './viewer/AccountGate';

/** The reads a returning person sees before the API answers: their account and their feeds. */
const PERSISTED_READS = [accountKey, feedsKey];

export interface SignedInAppProps {
  /** Where and how to reach the API (tests answer it in-process). */
  api?: Omit<ApiProviderProps, 'children' | 'persist'>;
  accountSetupWindowMs?: number;
  /** Whether changes are pushed to the open screens (feed.changes); tests of single screens go without. */
  liveFeed?: boolean;
  /** Whose app this is, as Clerk confirmed it: their last reads are kept for their next visit. */
  cacheOwner?: CacheOwner;
}

/**
 * Clerk's `<OrganizationSwitcher/>` and `<UserButton/>`, once the first screen has its data: their
 * chunks of @clerk/ui would otherwise load and run in the way of the feed on a slow phone.
 */
function AccountMenus() {
  const firstReadsSettled = useFirstReadsSettled();
  if (!firstReadsSettled) return null;
  return (
    <>
      <TeamSwitcher />
      <UserMenu />
    </>
  );
}

/**
 * The app of a signed-in person: the API client and its cache, the account gate and the screens.
 * Its own chunk: a signed-out visitor's first page (the landing page, Clerk's sign-in and
 * sign-up) renders without tRPC and React Query.
 */
export default function SignedInApp({ api, accountSetupWindowMs, liveFeed = true, cacheOwner }: SignedInAppProps) {
  return (
    <ApiProvider {...api} persist={cacheOwner && { owner: cacheOwner, queries: PERSISTED_READS }}>
      <PrefetchFeedWithAccount />
      <NoticeProvider>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <Topbar>
          <AccountMenus />
        </Topbar>
        <main id="main" tabIndex={-1}>
          <NoticeArea />
          <AccountGate setupWindowMs={accountSetupWindowMs}>
            {liveFeed ? (
              <LiveFeedProvider>
                <Routes />
              </LiveFeedProvider>
            ) : (
              <Routes />
            )}
          </AccountGate>
        </main>
      </NoticeProvider>
    </ApiProvider>
  );
}
