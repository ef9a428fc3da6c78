import { createContext, useContext, type ComponentType, type ReactNode } from 'react';

/** The signed-in person as the identity provider knows them (Clerk is the source of truth). */
export interface IdentityUser {
  /** The provider's user id (`user_…`): what support needs to find the account. */
  id: string;
  firstName: string | null;
  lastName: string | null;
  fullName: string | null;
  username: string | null;
  primaryEmailAddress: string | null;
  imageUrl: string | null;
  /** What to call them: full name, else username, else email address. */
  displayName: string;
}

export interface Identity {
  isLoaded: boolean;
  isSignedIn: boolean;
  user: IdentityUser | null;
  /** A fresh session token for the API, or null when signed out. */
  getToken(): Promise<string | null>;
  /** Why the identity provider could not be reached, when it could not. */
  loadError: string | null;
}

export interface AuthButtonProps {
  className?: string;
  children?: ReactNode;
}

/** The provider's own pieces of UI, rendered through the provider-neutral components. */
export interface IdentityUi {
  SignInButton: ComponentType<AuthButtonProps>;
  SignUpButton: ComponentType<AuthButtonProps>;
  UserMenu: ComponentType;
  ProfilePage: ComponentType;
}

export interface IdentityContextValue {
  identity: Identity;
  ui: IdentityUi;
}

export const IdentityContext = createContext<IdentityContextValue | null>(null);

export function useIdentityContext(): IdentityContextValue {
  const value = useContext(IdentityContext);
  if (!value) throw new Error('Identity is read outside <IdentityProvider>: wrap the app in it.');
  return value;
}

export function displayNameOf(user: Pick<IdentityUser, 'fullName' | 'username' | 'primaryEmailAddress'>): string {
  return user.fullName || user.username || user.primaryEmailAddress || 'You';
}

export function joinName(firstName: string | null, lastName: string | null): string | null {
  const full = [firstName, lastName].map((part) => part?.trim()).filter(Boolean).join(' ');
  return full || null;
}
