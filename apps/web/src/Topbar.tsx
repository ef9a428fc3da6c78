import type { ReactNode } from 'react';
import { Link, paths } from './router';
import { BrandMark } from './screens/Landing';

export function Topbar({ children }: { children?: ReactNode }) {
  return (
    <header className="topbar">
      <Link className="brand" to={paths.feed()}>
        <BrandMark /> <span className="brand__name">Expectations</span>
      </Link>
      <nav className="topbar__actions" aria-label="Account">
        {children}
      </nav>
    </header>
  );
}
