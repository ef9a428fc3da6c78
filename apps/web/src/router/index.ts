export { navigate, takeHeadingFocus, useLocation, type AppLocation, type NavigateOptions } from './history';
export { Link, type LinkProps } from './Link';
export { matchRoute, paths, type Route } from './routes';
