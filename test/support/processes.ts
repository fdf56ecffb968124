/**
 * Moved to drill/processes.ts: the fire drill ships with these helpers and the
 * tests share them. Kept as a re-export while test/live/ still imports this path.
 */
export { ProcessGroup, type Started, freePort, waitFor } from "../../drill/processes";
