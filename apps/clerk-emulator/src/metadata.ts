/** Clerk's metadata objects (`public_metadata`, `private_metadata`, `unsafe_metadata`), as its APIs change them. */

export type Metadata = Record<string, unknown>;

function isPlainObject(value: unknown): value is Metadata {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Clerk's metadata merge: nested objects merge, other values replace, null deletes the key. */
export function mergeMetadata(current: Metadata, patch: Metadata): Metadata {
  const merged: Metadata = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key];
    else if (isPlainObject(value) && isPlainObject(merged[key])) merged[key] = mergeMetadata(merged[key], value);
    else merged[key] = value;
  }
  return merged;
}
