import { act, render, screen } from '@testing-library/react';
import { afterEach, expect, it, vi } from 'vitest';
import { OfflineBanner } from '../../src/connectivity/OfflineBanner';

afterEach(() => vi.restoreAllMocks());

function goOffline(offline: boolean) {
  vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(!offline);
  act(() => {
    window.dispatchEvent(new Event(offline ? 'offline' : 'online'));
  });
}

it('says so quietly while the browser is offline, and goes away when it is back', () => {
  render(<OfflineBanner />);
  expect(screen.getByRole('status').textContent).toBe('');

  goOffline(true);
  expect(screen.getByRole('status').textContent).toMatch(/^You’re offline\. .*it will refresh when the connection is back\.$/);

  goOffline(false);
  expect(screen.getByRole('status').textContent).toBe('');
});
