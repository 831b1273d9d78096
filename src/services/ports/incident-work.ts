/**
 * Slow work a person asks for on an incident (To Bedrock Agent, Reporting). `request` answers quickly
 * (it posts "Analysing…" in the thread, or throws an AppError with a user message such as "no such
 * incident") and hands the slow part to `defer`.
 */
export interface IncidentWorkRequester {
  request(incidentId: string, options: { requestedBy: string; question?: string }): Promise<void>;
}
