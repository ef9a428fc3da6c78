import { createContext, useContext } from 'react';

/** The signed-in person's row in the API's mirror: what "mine" and "assigned to me" mean. */
export interface Viewer {
  userId: number;
}

export const ViewerContext = createContext<Viewer | null>(null);

export function useViewer(): Viewer {
  const viewer = useContext(ViewerContext);
  if (!viewer) throw new Error('useViewer is used outside <AccountGate>: the account is not known yet.');
  return viewer;
}
