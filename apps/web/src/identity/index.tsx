/**
 * The identity module: everything the SPA knows about who is signed in, from Clerk through
 * `@clerk/react`. The rest of the app imports from here only.
 */
import { useIdentityContext, type Identity } from './context';

export { IdentityProvider } from './IdentityProvider';
export type { Identity, IdentityTeam, IdentityUser } from './context';
export type { ClerkUnavailability } from './clerkWatchdog';

export function useIdentity(): Identity {
  return useIdentityContext().identity;
}

/** `/sign-in` and its steps: Clerk's `<SignIn/>`. */
export function SignInPage() {
  const { SignInPage: ProviderSignInPage } = useIdentityContext().ui;
  return <ProviderSignInPage />;
}

/** `/sign-up` and its steps: Clerk's `<SignUp/>`. */
export function SignUpPage() {
  const { SignUpPage: ProviderSignUpPage } = useIdentityContext().ui;
  return <ProviderSignUpPage />;
}

/** The signed-in user's avatar, opening their profile and sign-out: Clerk's `<UserButton/>`. */
export function UserMenu() {
  const { UserMenu: ProviderUserMenu } = useIdentityContext().ui;
  return <ProviderUserMenu />;
}

/** The active team, and switching between teams and the personal account: Clerk's `<OrganizationSwitcher/>`. */
export function TeamSwitcher() {
  const { TeamSwitcher: ProviderTeamSwitcher } = useIdentityContext().ui;
  return <ProviderTeamSwitcher />;
}

/** The `/profile` screen: profile editing is Clerk's `<UserProfile/>`, never a form of ours. */
export function ProfilePage() {
  const { ProfilePage: ProviderProfilePage } = useIdentityContext().ui;
  return <ProviderProfilePage />;
}
