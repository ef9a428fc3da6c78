import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { matchRoute } from './router';
import { preloadRoute } from './Routes';
import './styles.css';

preloadRoute(matchRoute(window.location.pathname));

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element to render into.');
createRoot(container).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
