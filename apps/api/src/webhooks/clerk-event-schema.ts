import { z } from 'zod';
import type { ClerkEvent } from '@expectations/db/mirror-writer';

// Clerk adds fields over time, so objects are loose: unknown fields pass, known ones must fit.
const epochMs = z.number().int().nonnegative().max(8.64e15);
const clerkUserId = z.string().regex(/^user_[A-Za-z0-9]{1,64}$/, 'must be a Clerk user id (user_…)');
const clerkOrganizationId = z.string().regex(/^org_[A-Za-z0-9]{1,64}$/, 'must be a Clerk organization id (org_…)');
const clerkMembershipId = z.string().regex(/^orgmem_[A-Za-z0-9]{1,64}$/, 'must be a Clerk organization membership id (orgmem_…)');
const NUL = '\u0000';
// Text that is stored: PostgreSQL's text cannot hold NUL, and Clerk never sends it.
const text = (max: number) => z.string().max(max).refine((value) => !value.includes(NUL), 'must not contain the NUL character');
const optionalText = (max: number) => text(max).nullable().optional().transform((value) => value ?? null);

const emailAddressSchema = z.looseObject({
  id: z.string().min(1).max(100),
  email_address: text(320),
});

const userSchema = z.looseObject({
  id: clerkUserId,
  object: z.literal('user').optional(),
  first_name: optionalText(256),
  last_name: optionalText(256),
  username: optionalText(256),
  image_url: optionalText(2048),
  primary_email_address_id: optionalText(100),
  email_addresses: z.array(emailAddressSchema).max(100),
  created_at: epochMs.optional(),
  updated_at: epochMs,
});

const deletedUserSchema = z.looseObject({
  id: clerkUserId,
  object: z.literal('user').optional(),
  deleted: z.literal(true).optional(),
});

const userEventSchema = z.looseObject({
  type: z.enum(['user.created', 'user.updated']),
  timestamp: epochMs,
  data: userSchema,
});
const userDeletedEventSchema = z.looseObject({
  type: z.literal('user.deleted'),
  timestamp: epochMs,
  data: deletedUserSchema,
});
const organizationSchema = z.looseObject({
  id: clerkOrganizationId,
  object: z.literal('organization').optional(),
  name: text(256),
  slug: optionalText(256),
  image_url: optionalText(2048),
  created_at: epochMs.optional(),
  updated_at: epochMs,
});

// Clerk sends only these of a deleted organization.
const deletedOrganizationSchema = z.looseObject({
  id: clerkOrganizationId,
  object: z.literal('organization').optional(),
  deleted: z.literal(true).optional(),
});

// The whole membership, for its deletion too: the organization and the member are inside it.
const membershipSchema = z.looseObject({
  id: clerkMembershipId,
  object: z.literal('organization_membership').optional(),
  organization: z.looseObject({ id: clerkOrganizationId }),
  public_user_data: z.looseObject({ user_id: clerkUserId }),
  role: text(100).min(1),
  created_at: epochMs,
  updated_at: epochMs,
});

const organizationEventSchema = z.looseObject({
  type: z.enum(['organization.created', 'organization.updated']),
  timestamp: epochMs,
  data: organizationSchema,
});
const organizationDeletedEventSchema = z.looseObject({
  type: z.literal('organization.deleted'),
  timestamp: epochMs,
  data: deletedOrganizationSchema,
});
const membershipEventSchema = z.looseObject({
  type: z.enum(['organizationMembership.created', 'organizationMembership.updated', 'organizationMembership.deleted']),
  timestamp: epochMs,
  data: membershipSchema,
});

const otherEventSchema = z.looseObject({
  type: text(100).min(1),
  timestamp: epochMs.optional(),
  data: z.looseObject({ user_id: z.unknown().optional() }).optional(),
});

export type ClerkEventParseResult = { success: true; event: ClerkEvent } | { success: false; error: z.ZodError };

/** Validates a parsed webhook body against Clerk's shapes and narrows it for the mirror writer. */
export function parseClerkEvent(body: unknown, receivedAt: number): ClerkEventParseResult {
  const type = typeof body === 'object' && body !== null ? (body as { type?: unknown }).type : undefined;
  if (type === 'user.created' || type === 'user.updated') {
    const parsed = userEventSchema.safeParse(body);
    if (!parsed.success) return { success: false, error: parsed.error };
    const { data } = parsed.data;
    return { success: true, event: { type: parsed.data.type, timestamp: parsed.data.timestamp, data } };
  }
  if (type === 'user.deleted') {
    const parsed = userDeletedEventSchema.safeParse(body);
    if (!parsed.success) return { success: false, error: parsed.error };
    return { success: true, event: { type, timestamp: parsed.data.timestamp, data: { id: parsed.data.data.id } } };
  }
  // The mirror keeps only what it stores of an organization or a membership, not Clerk's whole object.
  if (type === 'organization.created' || type === 'organization.updated') {
    const parsed = organizationEventSchema.safeParse(body);
    if (!parsed.success) return { success: false, error: parsed.error };
    const { id, name, slug, image_url, updated_at } = parsed.data.data;
    return { success: true, event: { type: parsed.data.type, timestamp: parsed.data.timestamp, data: { id, name, slug, image_url, updated_at } } };
  }
  if (type === 'organization.deleted') {
    const parsed = organizationDeletedEventSchema.safeParse(body);
    if (!parsed.success) return { success: false, error: parsed.error };
    return { success: true, event: { type, timestamp: parsed.data.timestamp, data: { id: parsed.data.data.id } } };
  }
  if (type === 'organizationMembership.created' || type === 'organizationMembership.updated' || type === 'organizationMembership.deleted') {
    const parsed = membershipEventSchema.safeParse(body);
    if (!parsed.success) return { success: false, error: parsed.error };
    const { id, organization, public_user_data, role, created_at, updated_at } = parsed.data.data;
    return {
      success: true,
      event: {
        type: parsed.data.type,
        timestamp: parsed.data.timestamp,
        data: { id, organization: { id: organization.id }, public_user_data: { user_id: public_user_data.user_id }, role, created_at, updated_at },
      },
    };
  }
  const parsed = otherEventSchema.safeParse(body);
  if (!parsed.success) return { success: false, error: parsed.error };
  const userId = parsed.data.data?.user_id;
  return {
    success: true,
    event: {
      type: 'other',
      originalType: parsed.data.type,
      timestamp: parsed.data.timestamp ?? receivedAt,
      clerkUserId: typeof userId === 'string' && userId.length <= 100 && !userId.includes(NUL) ? userId : null,
    },
  };
}
