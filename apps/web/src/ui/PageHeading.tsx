import { useEffect, useRef, type ReactNode } from 'react';
import { takeHeadingFocus } from '../router';

/**
 * A screen's h1. After an in-app navigation it takes focus, so keyboard and screen reader
 * users land at the top of the new screen instead of on the link they just used.
 */
export function PageHeading({ children, className, id }: { children: ReactNode; className?: string; id?: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (takeHeadingFocus()) ref.current?.focus({ preventScroll: true });
  }, []);
  return (
    <h1 ref={ref} id={id} tabIndex={-1} className={className}>
      {children}
    </h1>
  );
}
