/** The alert desk's operator actions (contract routes): acknowledge, dismiss with a reason, close. */

import { call, route } from "../api/loose";
import { rowFromOut, type AlertRow } from "./alert-model";

export type AlertAction = "acknowledge" | "dismiss" | "close";

/** POST /api/alerts/{id}/{action}; the answer (AlertOut) as a row, or null when it has none. */
export async function actOnAlert(alertId: string, action: AlertAction, reason?: string): Promise<AlertRow | null> {
  const body = action === "dismiss" ? { reason: reason ?? "" } : undefined;
  return rowFromOut(await call("POST", route("/api/alerts", alertId, action), body));
}
