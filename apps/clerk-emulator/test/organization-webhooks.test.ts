import { randomBytes } from 'node:crypto';
import { clerkFixture } from '@expectations/api/testing';
import { Webhook } from 'svix';
import { afterEach, describe, expect, it } from 'vitest';
import type { ClerkOrganizationMembershipJson, ClerkWebhookEvent } from '../src/clerk-json';
import { silentLogger } from '../src/logger';
import type { ChangeContext } from '../src/user-directory';
import { faultRoll, parseWebhookFaults } from '../src/webhook-faults';
import { WebhookSender } from '../src/webhook-sender';
import { openDirectories, startWebhookReceiver, tempDir, waitFor, type WebhookReceiver } from './helpers';

/**
 * Organization and membership events leave through the same outbox and the same sender as user
 * events: signed by Svix's library, retried, and faulted by WEBHOOK_FAULTS alike.
 */

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const context: ChangeContext = { clientIp: '127.0.0.1', userAgent: 'test', verification: 'admin' };
const signingSecret = `whsec_${randomBytes(24).toString('base64')}`;

async function setUp(faults = '') {
  const dir = tempDir();
  const receiver = await startWebhookReceiver();
  const sender: { current?: WebhookSender } = {};
  const directories = openDirectories(dir.path, () => sender.current?.notify());
  sender.current = new WebhookSender({
    outbox: directories.outbox,
    signingSecret,
    url: receiver.url,
    faults: parseWebhookFaults(faults),
    log: silentLogger(),
  });
  sender.current.start();
  cleanups.push(dir.remove, receiver.close, () => directories.store.close(), () => sender.current?.stop());
  const person = (first: string) =>
    directories.users.create({ first_name: first, last_name: 'Tester', email_address: `${first.toLowerCase()}@example.org` }, context);
  const allDelivered = () =>
    waitFor('every webhook to be delivered', () => (directories.outbox.stats().pending === 0 ? directories.outbox.stats() : undefined), 20_000);
  return { ...directories, receiver, person, allDelivered };
}

const eventsOf = (receiver: WebhookReceiver) => receiver.received.map((delivery) => JSON.parse(delivery.body) as ClerkWebhookEvent);
const organizationEvents = (receiver: WebhookReceiver) => eventsOf(receiver).filter((event) => !event.type.startsWith('user.'));

describe('organization webhooks', () => {
  it('are signed as Svix signs and carry Clerk’s envelope, memberships whole even when deleted', async () => {
    const { organizations, receiver, person, allDelivered } = await setUp();
    const [ada, grace] = [person('Ada'), person('Grace')];
    const organization = organizations.create({ name: 'Engines', createdBy: ada.id }, context);
    organizations.addMember(organization.id, grace.id, 'org:member', context);
    organizations.setRole(organization.id, grace.id, 'org:admin', context);
    organizations.update(organization.id, { name: 'Difference Engines' }, context);
    const removed = organizations.removeMember(organization.id, ada.id, context);
    organizations.delete(organization.id, context);
    await allDelivered();

    const verifier = new Webhook(signingSecret);
    for (const delivery of receiver.received) {
      const headers = {
        'svix-id': String(delivery.headers['svix-id']),
        'svix-timestamp': String(delivery.headers['svix-timestamp']),
        'svix-signature': String(delivery.headers['svix-signature']),
      };
      expect(headers['svix-id']).toMatch(/^msg_[0-9A-Za-z]{27}$/);
      expect(() => verifier.verify(delivery.body, headers)).not.toThrow();
    }

    const events = organizationEvents(receiver).sort((a, b) => a.timestamp - b.timestamp);
    expect(events.map((event) => event.type).sort()).toEqual(
      [
        'organization.created',
        'organizationMembership.created',
        'organizationMembership.created',
        'organizationMembership.updated',
        'organization.updated',
        'organizationMembership.deleted',
        'organization.deleted',
      ].sort(),
    );
    const envelope = Object.keys(clerkFixture('user.created')).sort();
    for (const event of events) {
      expect(Object.keys(event).sort()).toEqual(envelope);
      expect(event).toMatchObject({ object: 'event', instance_id: 'ins_test', event_attributes: { http_request: { client_ip: '127.0.0.1', user_agent: 'test' } } });
    }
    const deletedMembership = events.find((event) => event.type === 'organizationMembership.deleted')!.data as ClerkOrganizationMembershipJson;
    expect(deletedMembership).toEqual(removed);
    expect(deletedMembership).toMatchObject({ organization: { id: organization.id, name: 'Difference Engines' }, public_user_data: { user_id: ada.id } });
    expect(events.find((event) => event.type === 'organization.deleted')!.data).toEqual({ object: 'organization', id: organization.id, deleted: true });
    expect(events.find((event) => event.type === 'organization.updated')!.data).toMatchObject({ id: organization.id, name: 'Difference Engines', members_count: 2 });
  });

  it('duplicate fault: each organization event arrives twice, same message id and body', async () => {
    const { organizations, receiver, person, allDelivered } = await setUp('duplicate=1,seed=3');
    organizations.create({ name: 'Twice', createdBy: person('Ada').id }, context);
    await allDelivered();
    const byId = new Map<string, string[]>();
    for (const delivery of receiver.received) {
      const id = String(delivery.headers['svix-id']);
      byId.set(id, [...(byId.get(id) ?? []), delivery.body]);
    }
    expect(byId.size).toBe(3); // user.created, organization.created, organizationMembership.created
    for (const bodies of byId.values()) {
      expect(bodies).toHaveLength(2);
      expect(bodies[0]).toBe(bodies[1]);
    }
  });

  it('drop fault: dropped attempts count as failed and are retried until each event is delivered', async () => {
    const { organizations, receiver, person, allDelivered } = await setUp('drop=0.6,seed=7');
    const ada = person('Ada');
    for (let index = 0; index < 4; index += 1) organizations.create({ name: `Team ${index}`, createdBy: ada.id }, context);
    const stats = await allDelivered();
    expect(stats.delivered).toBe(9);
    expect(stats.failed).toBeGreaterThan(0);
    expect(receiver.received).toHaveLength(9);
  });

  it('reorder fault: a held organization.created is overtaken by its membership’s event', async () => {
    // user.created is outbox message 1; the organization's two events are 2 and 3.
    const seed = Array.from({ length: 1000 }, (_, index) => index).find(
      (candidate) => faultRoll(candidate, 2, 0, 'reorder') < 0.5 && faultRoll(candidate, 3, 0, 'reorder') >= 0.5,
    );
    const { organizations, receiver, person, allDelivered } = await setUp(`reorder=0.5,seed=${seed}`);
    organizations.create({ name: 'Out of order', createdBy: person('Ada').id }, context);
    await allDelivered();
    expect(organizationEvents(receiver).map((event) => event.type)).toEqual(['organizationMembership.created', 'organization.created']);
  });
});
