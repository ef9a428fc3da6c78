import { Link, paths } from '../router';
import { PageHeading } from '../ui/PageHeading';

export default function NotFoundScreen() {
  return (
    <section className="page page--narrow">
      <PageHeading>Page not found</PageHeading>
      <p>There is nothing at this address.</p>
      <p>
        <Link className="button" to={paths.feed()}>
          Go to the expectations
        </Link>
      </p>
    </section>
  );
}
