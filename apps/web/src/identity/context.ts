import { createContext, useContext, type ComponentType } from 'react';
import type { ClerkUnavailability } from './clerkWatchdog';

/** The signed-in person as Clerk knows them (Clerk is the source of truth). */
export interface IdentityUser {
  /** Clerk's user id (`user_…`): what support needs to find the account. */
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

/** The team (Clerk organization) the session has active: every read and write of the API is scoped to it. */
export interface IdentityTeam {
  /** Clerk's organization id (`org_…`). */
  id: string;
}

export interface Identity {
  isLoaded: boolean;
  isSignedIn: boolean;
  user: IdentityUser | null;
  /** Null when no team is active: the person sees their personal expectations. */
  activeTeam: IdentityTeam | null;
  /** Opens Clerk's dialog to create a team, which becomes the active one. */
  createTeam(): void;
  /** A fresh session token for the API, or null when signed out. */
  getToken(): Promise<string | null>;
  /** Set while Clerk cannot offer sign-in: it failed to load, or is not ready by the deadline. */
  unavailable: ClerkUnavailability | null;
}

/** Clerk's own components, behind names of ours so that component tests can stand in for them. */
export interface IdentityUi {
  SignInPage: ComponentType;
  SignUpPage: ComponentType;
  UserMenu: ComponentType;
  /** Picks the active team, or none; also where invitations are accepted and teams created or left. */
  TeamSwitcher: ComponentType;
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
