/**
 * The identity module: everything the SPA knows about who is signed in. The rest of the app
 * imports from here only and never learns whether Clerk or the local stand-in is behind it.
 */
import { useIdentityContext, type AuthButtonProps, type Identity } from './context';

export { IdentityProvider } from './IdentityProvider';
export type { AuthButtonProps, Identity, IdentityUser } from './context';

export function useIdentity(): Identity {
  return useIdentityContext().identity;
}

export function SignInButton(props: AuthButtonProps) {
  const { SignInButton: ProviderSignInButton } = useIdentityContext().ui;
  return <ProviderSignInButton {...props} />;
}

export function SignUpButton(props: AuthButtonProps) {
  const { SignUpButton: ProviderSignUpButton } = useIdentityContext().ui;
  return <ProviderSignUpButton {...props} />;
}

/** The signed-in user's avatar and name, opening their profile and sign-out. */
export function UserMenu() {
  const { UserMenu: ProviderUserMenu } = useIdentityContext().ui;
  return <ProviderUserMenu />;
}

/** The `/profile` screen: profile editing is the identity provider's, never a form of ours. */
export function ProfilePage() {
  const { ProfilePage: ProviderProfilePage } = useIdentityContext().ui;
  return <ProviderProfilePage />;
}
