/**
 * Which tasksource webhook URLs the app accepts: https, on an origin the manifest allows the app
 * to reach (Forge blocks any other at run time), naming the tasksource company.
 */

export function webhookUrlProblem(
  webhookUrl: string,
  allowedOrigins: readonly string[],
): string | undefined {
  if (!URL.canParse(webhookUrl))
    return 'expected the webhook URL from tasksource (company, Integrations tab)';

  const url = new URL(webhookUrl);
  if (url.protocol !== 'https:')
    return 'expected an https:// URL (tasksource accepts no plain http)';
  if (!allowedOrigins.includes(url.origin)) {
    return `expected a URL on ${allowedOrigins.join(' or ')}, the host the app may send to; got ${url.host}`;
  }
  const companyIds = url.searchParams.getAll('companyId');
  if (companyIds.length !== 1 || !companyIds[0]?.trim()) {
    return 'expected the one companyId parameter tasksource puts in the URL; copy the whole URL again';
  }
  return undefined;
}
