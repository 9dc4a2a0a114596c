/// <reference lib="deno.worker" />
// A second isolate of the test process: tries the native backend and reports what happened.
import { useBackend } from "../../lib/backend/mod.ts";

useBackend("native").then(
  (choice) => self.postMessage({ name: choice.name }),
  (error) => self.postMessage({ error: (error as Error).message }),
);
