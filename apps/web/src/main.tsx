import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App, preloadSignedInApp } from './App';
import { matchRoute } from './router';
import { preloadRoute } from './Routes';
import './styles.css';

const firstRoute = matchRoute(window.location.pathname);
if (firstRoute.name !== 'signIn' && firstRoute.name !== 'signUp') preloadSignedInApp();
preloadRoute(firstRoute);

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element to render into.');
createRoot(container).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
