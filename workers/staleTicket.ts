/**
 * Stale tickets (no imports: the main thread's engine imports this without the
 * worker's code). A background job's worker request carries a ticket; once the
 * job's wanted key moves on, the main thread tells worker 0 that the old key's
 * requests so far are stale (analysisApi staleBefore) and they end with
 * STALE_REQUEST at their next band or at their start.
 */

/** `id` names the job and key the request is for; `seq` orders it among the main thread's requests. */
export interface StaleTicket {
  id: string;
  seq: number;
}

/** The error a request marked stale ends with (the main thread ignores stale jobs' results and failures). */
export const STALE_REQUEST = 'stale: the settings it was for have changed';
