import { Suspense } from 'react';
import { matchRoute, useLocation, type Route } from './router';
import { lazyWithPreload } from './ui/lazyWithPreload';

/** The routes of the signed-in app; sign-in and sign-up are Clerk's, outside it (see App). */
type ScreenRoute = Exclude<Route, { name: 'signIn' | 'signUp' }>;

// Each screen is its own chunk, fetched when first visited (or preloaded), then shown at once.
const screens = {
  feed: lazyWithPreload(() => import('./screens/FeedScreen')),
  create: lazyWithPreload(() => import('./screens/CreateScreen')),
  detail: lazyWithPreload(() => import('./screens/DetailScreen')),
  profile: lazyWithPreload(() => import('./screens/ProfileScreen')),
  notFound: lazyWithPreload(() => import('./screens/NotFoundScreen')),
} satisfies Record<ScreenRoute['name'], unknown>;

const FeedScreen = screens.feed.Component;
const CreateScreen = screens.create.Component;
const DetailScreen = screens.detail.Component;
const ProfileScreen = screens.profile.Component;
const NotFoundScreen = screens.notFound.Component;

/** Starts downloading a screen before it is needed (the first one, while sign-in state loads). */
export function preloadRoute(route: Route): void {
  if (route.name === 'signIn' || route.name === 'signUp') return;
  void screens[route.name].preload().catch(() => {
    // The lazy component retries and reports the failure when it renders.
  });
}

function RouteScreen({ route }: { route: Route }) {
  // A signed-in visitor is sent on from Clerk's sign-in and sign-up by Clerk itself (see App).
  switch (route.name) {
    case 'feed':
      return <FeedScreen />;
    case 'create':
      return <CreateScreen />;
    case 'detail':
      // A new id is a new screen: no state carries over from the previous expectation.
      return <DetailScreen key={route.id} id={route.id} />;
    case 'profile':
      return <ProfileScreen />;
    case 'notFound':
      return <NotFoundScreen />;
    case 'signIn':
    case 'signUp':
      return null;
  }
}

export function Routes() {
  const { pathname } = useLocation();
  return (
    <Suspense
      fallback={
        <p className="page muted" role="status">
          Loading…
        </p>
      }
    >
      <RouteScreen route={matchRoute(pathname)} />
    </Suspense>
  );
}
