/** The refusal every write to `users` outside the mirror writer meets, on either engine. */
export const refusal = /users is a read-only mirror of Clerk: only the Clerk webhook writes it .* Change the user in Clerk/;

export const writesToUsers = [
  ['INSERT', "INSERT INTO users (clerk_id, clerk_updated_at, created_at, updated_at) VALUES ('user_forged', 1, 1, 1)"],
  ['UPDATE', "UPDATE users SET first_name = 'Forged'"],
  ['DELETE', 'DELETE FROM users'],
] as const;
