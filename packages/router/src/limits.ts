/**
 * Bounds every client can rely on: the input schemas enforce them and the SPA's forms say them
 * before sending (through `@expectations/router/shared`). Plain values, no imports.
 */
export const limits = {
  titleMaxLength: 200,
  detailsMaxLength: 5000,
  pageSizeMax: 100,
  pageSizeDefault: 20,
  searchMaxLength: 100,
} as const;
