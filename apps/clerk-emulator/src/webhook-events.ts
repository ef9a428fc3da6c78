import type { ClerkEventDataByType, ClerkEventType, ClerkWebhookEvent } from './clerk-json';
import type { WebhookOutbox } from './outbox';

/** Where a change came from: recorded in the event's `event_attributes`, as Clerk does. Never logged. */
export interface ChangeOrigin {
  clientIp: string;
  userAgent: string;
}

/**
 * Puts Clerk's events, in Clerk's envelope, into the durable outbox. Every directory (users,
 * organizations) queues through this one queue, so every event is signed, retried and faulted
 * alike.
 */
export class WebhookEventQueue {
  constructor(
    private readonly outbox: WebhookOutbox,
    private readonly instanceId: string,
  ) {}

  /**
   * Call inside the transaction of the change: the change and its event commit together or not at
   * all. `objectId` names the user, organization or membership the event is about.
   */
  queue<Type extends ClerkEventType>(type: Type, data: ClerkEventDataByType[Type], objectId: string, timestamp: number, origin: ChangeOrigin): void {
    const event: ClerkWebhookEvent<Type> = {
      data,
      event_attributes: { http_request: { client_ip: origin.clientIp, user_agent: origin.userAgent } },
      instance_id: this.instanceId,
      object: 'event',
      timestamp,
      type,
    };
    this.outbox.enqueue(event, objectId, timestamp);
  }
}
