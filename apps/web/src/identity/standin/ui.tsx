import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { useLocation } from '../../router';
import { Avatar } from '../../ui/Avatar';
import { useIdentityContext, type AuthButtonProps, type IdentityUi } from '../context';
import type { StandInClient } from './client';

function useCurrentHref(): string {
  const location = useLocation();
  return window.location.origin + location.pathname + location.search;
}

/** The stand-in's pages are on its own origin: these are plain links there and back. */
export function createStandInUi(client: StandInClient): IdentityUi {
  // Both come back to the address the visitor was at, so deep links survive signing in.
  function SignInButton({ className = 'button button--primary', children = 'Sign in' }: AuthButtonProps) {
    const returnTo = useCurrentHref();
    return (
      <a className={className} href={client.signInUrl(returnTo)}>
        {children}
      </a>
    );
  }

  function SignUpButton({ className = 'button', children = 'Sign up' }: AuthButtonProps) {
    const returnTo = useCurrentHref();
    return (
      <a className={className} href={client.signUpUrl(returnTo)}>
        {children}
      </a>
    );
  }

  function UserMenu() {
    const { identity } = useIdentityContext();
    const returnTo = useCurrentHref();
    const [open, setOpen] = useState(false);
    const menuId = useId();
    const rootRef = useRef<HTMLDivElement>(null);
    const buttonRef = useRef<HTMLButtonElement>(null);

    useEffect(() => {
      if (!open) return;
      const closeIfOutside = (event: Event) => {
        if (!rootRef.current?.contains(event.target as Node)) setOpen(false);
      };
      document.addEventListener('pointerdown', closeIfOutside);
      document.addEventListener('focusin', closeIfOutside);
      return () => {
        document.removeEventListener('pointerdown', closeIfOutside);
        document.removeEventListener('focusin', closeIfOutside);
      };
    }, [open]);

    const user = identity.user;
    if (!user) return null;

    function closeOnEscape(event: KeyboardEvent) {
      if (event.key === 'Escape' && open) {
        setOpen(false);
        buttonRef.current?.focus();
      }
    }

    return (
      <div className="user-menu" ref={rootRef} onKeyDown={closeOnEscape}>
        <button
          ref={buttonRef}
          type="button"
          className="user-menu__button"
          aria-expanded={open}
          aria-controls={menuId}
          onClick={() => setOpen((value) => !value)}
        >
          <Avatar name={user.displayName} imageUrl={user.imageUrl} size="sm" />
          <span className="user-menu__name">{user.displayName}</span>
          <span className="visually-hidden">: account menu</span>
        </button>
        <div id={menuId} className="user-menu__panel" hidden={!open}>
          <p className="user-menu__who">
            <strong>{user.displayName}</strong>
            {user.primaryEmailAddress ? <span className="muted">{user.primaryEmailAddress}</span> : null}
          </p>
          <ul className="user-menu__items">
            <li>
              <a href={client.profileUrl(returnTo)}>Manage profile</a>
            </li>
            <li>
              <a href={client.signOutUrl(`${window.location.origin}/`)}>Sign out</a>
            </li>
          </ul>
        </div>
      </div>
    );
  }

  /**
   * Profile editing is the identity provider's page, not ours. `replace` keeps /profile out of
   * the history, so Back from the stand-in's page does not bounce there again.
   */
  function ProfilePage() {
    const href = client.profileUrl(`${window.location.origin}/`);
    useEffect(() => {
      window.location.replace(href);
    }, [href]);
    return (
      <section className="page page--narrow">
        <h1 tabIndex={-1}>Your profile</h1>
        <p role="status">Opening your profile on the sign-in service…</p>
        <p>
          <a className="button" href={href}>
            Open your profile
          </a>
        </p>
      </section>
    );
  }

  return { SignInButton, SignUpButton, UserMenu, ProfilePage };
}
