/**
 * What the token in a local report's link looks like: base64url of 24 random bytes (integrations/local-report.ts
 * makes them; ingress/routes/reports.ts refuses anything else before looking a report up). A module of its own so
 * the ingress Lambda bundle, which serves reports but never writes one, does not carry the report builder.
 */
export const REPORT_TOKEN = /^[A-Za-z0-9_-]{32}$/;
