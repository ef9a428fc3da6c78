import type { Request } from 'express';
import type { Clients } from '../frontend-api/clients';
import type { EmulatorPublicConfig, InstanceIdentity } from '../instance';
import type { Logger } from '../logger';
import type { OrganizationDirectory } from '../organization-directory';
import type { OrganizationInvitations } from '../organization-invitations';
import type { WebhookOutbox } from '../outbox';
import type { ProfileImages } from '../profile-images';
import type { Sessions } from '../sessions';
import type { ChangeContext, UserDirectory } from '../user-directory';

/** Everything the routes need, built once at start. */
export interface EmulatorContext {
  directory: UserDirectory;
  organizations: OrganizationDirectory;
  invitations: OrganizationInvitations;
  sessions: Sessions;
  clients: Clients;
  images: ProfileImages;
  outbox: WebhookOutbox;
  identity: InstanceIdentity;
  publicConfig: EmulatorPublicConfig;
  /** The stand-in's base URL, no trailing slash; the tokens' `iss`. */
  publicUrl: string;
  /** SPA origins: the allowed `azp` of session tokens. */
  allowedOrigins: readonly string[];
  sessionTokenLifetimeSeconds: number;
  log: Logger;
  /** Sends given-up webhook messages created at or after `since` (epoch ms) again; returns how many. */
  recoverWebhooks(since: number): number;
  /** Backend API requests allowed per 10 s; null: no limit. */
  bapiRateLimit: number | null;
}

export function changeContext(req: Request, verification: ChangeContext['verification']): ChangeContext {
  return {
    clientIp: req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1',
    userAgent: req.get('user-agent') ?? '',
    verification,
  };
}

/** The origins that count as the stand-in itself: its public URL and the host the request was sent to. */
export function selfOrigins(ctx: EmulatorContext, req: Request): string[] {
  const origins = [new URL(ctx.publicUrl).origin];
  const host = req.get('host');
  if (host) origins.push(`${req.protocol}://${host}`);
  return origins;
}
