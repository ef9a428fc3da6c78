/**
 * Which Clerk a build of the SPA talks to, decided once from the build's environment.
 *
 * With `VITE_CLERK_PUBLISHABLE_KEY` set, the Clerk instance that key names, at the key's own host
 * unless `VITE_CLERK_PROXY_URL` says otherwise; a key that is not a publishable key stops the
 * build. Without it, the local stand-in, exactly as the dev server runs against it: its key and
 * the `/__clerk` proxy path from `.env.development`, so that `pnpm build` works on a fresh clone.
 */
export interface ClerkTarget {
  publishableKey: string;
  /** Clerk's `proxyUrl`; empty for a Clerk instance reached at its own host. */
  proxyUrl: string;
  /** One line saying what was built, for the build's output. */
  description: string;
  standIn: boolean;
}

export class ClerkBuildConfigError extends Error {
  override name = 'ClerkBuildConfigError';
}

type Env = Record<string, string | undefined>;

/** The Frontend API host a publishable key names (`pk_test_` or `pk_live_`, then base64 of `<host>$`), or null when it is not one. */
export function frontendApiOf(publishableKey: string): { host: string; environment: 'test' | 'live' } | null {
  const match = /^pk_(test|live)_([A-Za-z0-9+/]+={0,2})$/.exec(publishableKey);
  if (!match) return null;
  const decoded = Buffer.from(match[2] as string, 'base64').toString('utf8');
  if (!/^[a-z0-9-]+(\.[a-z0-9-]+)+\$$/i.test(decoded)) return null;
  return { host: decoded.slice(0, -1), environment: match[1] as 'test' | 'live' };
}

export function resolveClerkTarget(buildEnv: Env, developmentEnv: Env): ClerkTarget {
  const givenKey = buildEnv.VITE_CLERK_PUBLISHABLE_KEY?.trim();
  const standInKey = developmentEnv.VITE_CLERK_PUBLISHABLE_KEY?.trim() ?? '';
  if (!givenKey) {
    const proxyUrl = developmentEnv.VITE_CLERK_PROXY_URL?.trim() ?? '';
    if (!frontendApiOf(standInKey) || !proxyUrl) {
      throw new ClerkBuildConfigError(
        'VITE_CLERK_PUBLISHABLE_KEY is not set, and apps/web/.env.development does not carry the local stand-in’s key and ' +
          'VITE_CLERK_PROXY_URL to build for it instead: restore that file, or set the key of your Clerk instance (see docs/web.md).',
      );
    }
    return {
      publishableKey: standInKey,
      proxyUrl,
      standIn: true,
      description:
        `Building the SPA for the local Clerk stand-in (key and proxy path ${proxyUrl} from apps/web/.env.development), ` +
        'as VITE_CLERK_PUBLISHABLE_KEY is not set. To build for a Clerk instance, set it to the instance’s publishable key (docs/web.md).',
    };
  }
  const frontendApi = frontendApiOf(givenKey);
  if (!frontendApi) {
    throw new ClerkBuildConfigError(
      `VITE_CLERK_PUBLISHABLE_KEY is not a Clerk publishable key (“${givenKey.slice(0, 12)}…”): copy pk_test_… or pk_live_… ` +
        'from the Clerk dashboard (API keys), or leave it unset to build for the local stand-in.',
    );
  }
  const proxyUrl = buildEnv.VITE_CLERK_PROXY_URL?.trim() ?? '';
  const standIn = givenKey === standInKey;
  const where = standIn ? 'the local Clerk stand-in' : `the Clerk instance ${frontendApi.host} (${frontendApi.environment} key)`;
  return {
    publishableKey: givenKey,
    proxyUrl,
    standIn,
    description: `Building the SPA for ${where}, ${proxyUrl ? `through the proxy path ${proxyUrl}` : 'reached at its own host'}.`,
  };
}
