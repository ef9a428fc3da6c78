import { Link, paths, useLocation } from '../router';
import { PageHeading } from '../ui/PageHeading';

/** Sign-in and sign-up bring the visitor back to the address they came to (a deep link). */
function useReturnQuery(): string {
  const { pathname, search } = useLocation();
  return pathname === '/' && search === '' ? '' : `?redirect_url=${encodeURIComponent(window.location.origin + pathname + search)}`;
}

/** What a signed-out visitor sees, whatever the address: deep links come back here after sign-in. */
export function Landing() {
  const returnQuery = useReturnQuery();
  return (
    <div className="landing">
      <header className="topbar">
        <span className="brand">
          <BrandMark /> Expectations
        </span>
        <nav className="topbar__actions" aria-label="Account">
          <Link className="button button--quiet" to={paths.signIn() + returnQuery}>
            Sign in
          </Link>
        </nav>
      </header>
      <main id="main" className="landing__main">
        <PageHeading className="landing__title">Say what you expect. See it through.</PageHeading>
        <p className="landing__lead">
          Expectations is where your team writes down its commitments — “ship the billing export by Friday”, addressed to
          whoever owns it — and follows each one to an outcome: met, missed or withdrawn.
        </p>
        <div className="button-row">
          <Link className="button button--primary button--large" to={paths.signUp() + returnQuery}>
            Create an account
          </Link>
          <Link className="button button--large" to={paths.signIn() + returnQuery}>
            Sign in
          </Link>
        </div>
        <ul className="landing__points">
          <li>
            <strong>Written down.</strong> Every expectation has an author, the person it is expected of, and a due date.
          </li>
          <li>
            <strong>Visible to the team.</strong> One feed, newest first, filtered to yours or to what is expected of you.
          </li>
          <li>
            <strong>Followed through.</strong> Overdue ones stand out; the author records how each turned out.
          </li>
        </ul>
      </main>
    </div>
  );
}

export function BrandMark() {
  return (
    <svg className="brand__mark" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <rect width="32" height="32" rx="7" />
      <path d="M9 16.5l4.5 4.5L23 11" />
    </svg>
  );
}
