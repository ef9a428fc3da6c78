export type Route =
  | { name: 'feed' }
  | { name: 'create' }
  | { name: 'detail'; id: number }
  | { name: 'profile' }
  | { name: 'signIn' }
  | { name: 'signUp' }
  | { name: 'notFound' };

/** Clerk's components route inside these paths (`/sign-in/factor-one`, `/profile/security`, …). */
const within = (path: string, base: string) => path === base || path.startsWith(`${base}/`);

export function matchRoute(pathname: string): Route {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  if (path === '/') return { name: 'feed' };
  if (path === '/expectations/new') return { name: 'create' };
  if (within(path, '/profile')) return { name: 'profile' };
  if (within(path, '/sign-in')) return { name: 'signIn' };
  if (within(path, '/sign-up')) return { name: 'signUp' };
  const detail = /^\/expectations\/([1-9]\d{0,15})$/.exec(path);
  if (detail?.[1]) return { name: 'detail', id: Number(detail[1]) };
  return { name: 'notFound' };
}

export const paths = {
  feed: (search = '') => `/${search}`,
  create: () => '/expectations/new',
  detail: (id: number) => `/expectations/${id}`,
  profile: () => '/profile',
  signIn: () => '/sign-in',
  signUp: () => '/sign-up',
};
