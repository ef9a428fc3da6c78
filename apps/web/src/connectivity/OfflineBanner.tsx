import { useOnline } from './useOnline';

/**
 * A quiet line while the browser is offline. Reads pause meanwhile (react-query's default) and
 * every screen refreshes once the connection is back (see api/ApiProvider.tsx).
 */
export function OfflineBanner() {
  const online = useOnline();
  return (
    <div role="status" className={online ? 'visually-hidden' : 'offline-banner'}>
      {online ? '' : 'You’re offline. What you see may be out of date; it will refresh when the connection is back.'}
    </div>
  );
}
