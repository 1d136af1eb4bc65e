/**
 * Masked forms of credentials, for pages and answers: enough to recognise which one is saved,
 * never enough to use it.
 */

const DOTS = '••••';

/**
 * `https://api.tasksource.io/jira?companyId=••••2f1c`: origin and path, query values masked.
 */
export function maskWebhookUrl(webhookUrl: string): string {
  if (!URL.canParse(webhookUrl)) return DOTS;

  const url = new URL(webhookUrl);
  const path = url.pathname.split('/').map(maskPart).join('/');
  const query = [...url.searchParams.entries()]
    .map(([name, value]) => `${name}=${DOTS}${value.length >= 12 ? value.slice(-4) : ''}`)
    .join('&');
  return `${url.origin}${path}${query ? `?${query}` : ''}`;
}

/** Short path words (`jira`, `hooks`) stay; a long one may be a token and is masked. */
function maskPart(part: string): string {
  return part.length > 12 ? `${DOTS}${part.slice(-4)}` : part;
}

/** `whsec_••••Xb4=`: the prefix and the last four characters. */
export function maskSecret(secret: string): string {
  return `whsec_${DOTS}${secret.length >= 24 ? secret.slice(-4) : ''}`;
}
