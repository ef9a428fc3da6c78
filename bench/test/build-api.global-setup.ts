import { buildApi } from '../src/lib/processes';

// The suites run the API's production build, as `pnpm bench` does: built once for every smoke
// test file, before any of them starts (two files building at once would race over dist/).
export default function setup(): void {
  buildApi();
}
