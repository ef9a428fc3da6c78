export type Route =
  | { name: 'feed' }
  | { name: 'create' }
  | { name: 'detail'; id: number }
  | { name: 'profile' }
  | { name: 'notFound' };

export function matchRoute(pathname: string): Route {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  if (path === '/') return { name: 'feed' };
  if (path === '/expectations/new') return { name: 'create' };
  if (path === '/profile') return { name: 'profile' };
  const detail = /^\/expectations\/([1-9]\d{0,15})$/.exec(path);
  if (detail?.[1]) return { name: 'detail', id: Number(detail[1]) };
  return { name: 'notFound' };
}

export const paths = {
  feed: (search = '') => `/${search}`,
  create: () => '/expectations/new',
  detail: (id: number) => `/expectations/${id}`,
  profile: () => '/profile',
};
