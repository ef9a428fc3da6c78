import { ApiProvider, type ApiProviderProps } from './api/ApiProvider';
import { TeamSwitcher, UserMenu } from './identity';
import { NoticeArea, NoticeProvider } from './notices/NoticeProvider';
import { Routes } from './Routes';
import { Topbar } from './Topbar';
import { AccountGate } from './viewer/AccountGate';

export interface SignedInAppProps {
  /** Where and how to reach the API (tests answer it in-process). */
  api?: Omit<ApiProviderProps, 'children'>;
  accountSetupWindowMs?: number;
}

/**
 * The app of a signed-in person: the API client and its cache, the account gate and the screens.
 * Its own chunk: a signed-out visitor's first page (the landing page, Clerk's sign-in and
 * sign-up) renders without tRPC and React Query.
 */
export default function SignedInApp({ api, accountSetupWindowMs }: SignedInAppProps) {
  return (
    <ApiProvider {...api}>
      <NoticeProvider>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <Topbar>
          <TeamSwitcher />
          <UserMenu />
        </Topbar>
        <main id="main" tabIndex={-1}>
          <NoticeArea />
          <AccountGate setupWindowMs={accountSetupWindowMs}>
            <Routes />
          </AccountGate>
        </main>
      </NoticeProvider>
    </ApiProvider>
  );
}
